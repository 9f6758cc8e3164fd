import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { NetError } from '../../net/errors.js';
import { TelnetDecoder, describeCommand, escapeData, negotiation } from './codec.js';
import { OptionNegotiator } from './negotiation.js';
import { visibleText } from './screen.js';

const RAW_LIMIT = 64 * 1024;
const TRANSCRIPT_LIMIT = 64 * 1024;
/** Prompts sit at the end; this much of the latest text is plenty to judge by. */
const SCREEN_LIMIT = 16 * 1024;
/** A tentative sign (a bare `$` at the end, a rejection with no prompt after it yet) must stand this long without more text. */
const SETTLE_MS = 300;
/**
 * Option negotiation a session puts up with. A real server settles its options in a few dozen commands;
 * one that keeps negotiating (or sends a subnegotiation without end) is stopped rather than answered forever.
 */
export const NEGOTIATION_LIMITS = { commands: 200, bytes: 16 * 1024 } as const;
/** Bytes one session reads at most: a prompt comes in a few KB, and a device that streams without end is stopped. */
export const RECEIVE_LIMIT = 1024 * 1024;

/** `tentative`: a sign that more text could still overturn, such as a shell-like prompt character. */
export interface Decision<T> {
  value: T;
  tentative?: boolean;
}

export interface Decided<T> {
  value: T;
  /** When the text that decided arrived (process.hrtime.bigint()). */
  at: bigint;
}

/**
 * A telnet client session over a socket from the guarded network: it answers option negotiation,
 * strips commands from the text, and lets a probe wait for what the text shows.
 */
export class TelnetSession {
  readonly #socket: Socket;
  readonly #decoder = new TelnetDecoder();
  readonly #text = new StringDecoder('utf8');
  readonly #options = new OptionNegotiator();
  readonly #raw: Buffer[] = [];
  #rawSize = 0;
  readonly #sent: string[] = [];
  #received = '';
  #screen = '';
  #closed = false;
  #failure: NetError | null = null;
  #commands = 0;
  #commandBytes = 0;
  #lastDataAt = process.hrtime.bigint();
  #onChange: (() => void) | null = null;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('close', () => {
      this.#closed = true;
      this.#onChange?.();
    });
  }

  get sent(): string {
    return this.#sent.join('\n');
  }

  get received(): string {
    return this.#received;
  }

  /** Telnet commands received (negotiation, subnegotiation, others): the device speaks Telnet. */
  get commands(): number {
    return this.#commands;
  }

  get rawReceived(): Buffer {
    return Buffer.concat(this.#raw);
  }

  /** Visible text since the last mark(). */
  get screen(): string {
    return visibleText(this.#screen);
  }

  /** Starts a new screen: what follows is the answer to what is sent next. */
  mark(): void {
    this.#screen = '';
  }

  /** Sends one line of input; `shown` is how it appears in the transcript (a Secret prints its marker). */
  sendLine(line: string, shown: string): void {
    this.mark();
    this.#sent.push(shown);
    this.#socket.write(escapeData(Buffer.from(`${line}\r\n`, 'utf8')));
  }

  /**
   * Resolves with the first firm decision `decide` takes on the screen, or a tentative one that no
   * further text overturned for SETTLE_MS or before the connection closed. Rejects when the connection
   * closes undecided (NetError 'closed') or `signal` aborts (its reason).
   */
  until<T>(decide: (screen: string) => Decision<T> | null, signal: AbortSignal): Promise<Decided<T>> {
    return new Promise((resolve, reject) => {
      let settle: NodeJS.Timeout | undefined;
      let pending: Decided<T> | null = null;
      const finish = (outcome: () => void) => {
        clearTimeout(settle);
        this.#onChange = null;
        signal.removeEventListener('abort', onAbort);
        outcome();
      };
      const onAbort = () => finish(() => reject(signal.reason));
      const evaluate = () => {
        clearTimeout(settle);
        const decision = decide(this.screen);
        // Later text that only confirms a sign does not move the moment it was shown.
        const at = pending && decision && pending.value === decision.value ? pending.at : this.#lastDataAt;
        pending = decision ? { value: decision.value, at } : null;
        if (decision && !decision.tentative) return finish(() => resolve(pending!));
        if (this.#failure) {
          const failure = this.#failure;
          return finish(() => reject(failure));
        }
        if (this.#closed) {
          return finish(() => (pending ? resolve(pending) : reject(new NetError('closed', 'connection closed by the device'))));
        }
        if (pending) settle = setTimeout(() => finish(() => resolve(pending!)), SETTLE_MS);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#onChange = evaluate;
      evaluate();
    });
  }

  close(): void {
    this.#onChange = null;
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    if (this.#failure) return;
    this.#lastDataAt = process.hrtime.bigint();
    if (this.#rawSize < RAW_LIMIT) this.#raw.push(chunk.subarray(0, RAW_LIMIT - this.#rawSize));
    this.#rawSize += chunk.length;
    let dataBytes = 0;
    for (const part of this.#decoder.push(chunk)) {
      if (part.kind === 'data') {
        dataBytes += part.bytes.length;
        this.#append(this.#text.write(part.bytes));
        continue;
      }
      this.#commands++;
      if (this.#commands > NEGOTIATION_LIMITS.commands) break;
      this.#record(`<${describeCommand(part)}>`);
      if (part.kind !== 'negotiation') continue;
      const reply = this.#options.answer(part.verb, part.option);
      if (!reply) continue;
      this.#sent.push(describeCommand({ kind: 'negotiation', ...reply }));
      this.#socket.write(negotiation(reply.verb, reply.option));
    }
    // Everything that was not text was commands, subnegotiation payloads included (an estimate when the loop stopped early).
    this.#commandBytes += chunk.length - dataBytes;
    if (this.#rawSize > RECEIVE_LIMIT) {
      this.#failure = new NetError('protocol', `the device sent more than ${RECEIVE_LIMIT} bytes without a prompt jcstar recognises; jcstar stopped reading and closed`);
      this.#socket.destroy();
    } else if (this.#commands > NEGOTIATION_LIMITS.commands || this.#commandBytes > NEGOTIATION_LIMITS.bytes) {
      this.#failure = new NetError(
        'protocol',
        `the device kept negotiating Telnet options (${this.#commands} commands, ${this.#commandBytes} bytes of commands, ` +
          `past the limit of ${NEGOTIATION_LIMITS.commands} commands or ${NEGOTIATION_LIMITS.bytes} bytes); jcstar stopped answering and closed`,
      );
      this.#socket.destroy();
    }
    this.#onChange?.();
  }

  #append(text: string): void {
    this.#record(text);
    this.#screen = (this.#screen + text).slice(-SCREEN_LIMIT);
  }

  #record(text: string): void {
    if (this.#received.length < TRANSCRIPT_LIMIT) this.#received += text.slice(0, TRANSCRIPT_LIMIT - this.#received.length);
  }
}
