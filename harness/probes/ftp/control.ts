import type { Socket } from 'node:net';
import { NetError } from '../../net/errors.js';
import { FtpReplyReader, replyText, type FtpReply } from './replies.js';

const RAW_LIMIT = 64 * 1024;
/** A polite QUIT once the exchange is over may take this long, no more. */
const QUIT_WAIT_MS = 1000;
/** RFC 959 §4.2: "120 Service ready in nnn minutes" precedes the real greeting. */
const READY_SOON = 120;
/** Replies the server may send ahead of what was asked; more is a flood, not a conversation. */
const MAX_UNREAD_REPLIES = 50;
/** Replies kept in the transcript. */
const TRANSCRIPT_REPLIES = 200;

/** A reply and when its last byte arrived (process.hrtime.bigint()). */
export interface TimedReply extends FtpReply {
  at: bigint;
}

/** An FTP control connection over a socket from the guarded network, with its transcript. */
export class FtpControl {
  readonly #socket: Socket;
  readonly #reader = new FtpReplyReader();
  readonly #replies: TimedReply[] = [];
  readonly #raw: Buffer[] = [];
  #rawSize = 0;
  readonly #sent: string[] = [];
  readonly #received: string[] = [];
  #failure: NetError | null = null;
  #onChange: (() => void) | null = null;

  readonly #onData = (chunk: Buffer) => {
    const at = process.hrtime.bigint();
    if (this.#rawSize < RAW_LIMIT) this.#raw.push(chunk.subarray(0, RAW_LIMIT - this.#rawSize));
    this.#rawSize += chunk.length;
    try {
      for (const reply of this.#reader.push(chunk)) {
        if (this.#received.length < TRANSCRIPT_REPLIES) this.#received.push(replyText(reply));
        this.#replies.push({ ...reply, at });
        if (this.#replies.length > MAX_UNREAD_REPLIES) {
          throw new NetError('protocol', `the server sent more than ${MAX_UNREAD_REPLIES} replies that nothing asked for; jcstar stopped reading and closed`);
        }
      }
    } catch (err) {
      this.#failure = err as NetError;
      this.#socket.destroy();
    }
    this.#onChange?.();
  };

  readonly #onClose = () => {
    this.#failure ??= new NetError('closed', 'connection closed by the server');
    this.#onChange?.();
  };

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', this.#onData);
    socket.on('close', this.#onClose);
  }

  /** The connection is gone or unusable; a reply may still be queued. */
  get closed(): boolean {
    return this.#failure !== null;
  }

  get sent(): string {
    return this.#sent.join('\n');
  }

  get received(): string {
    return this.#received.join('\n');
  }

  get rawReceived(): Buffer {
    return Buffer.concat(this.#raw);
  }

  /** Sends one command; `shown` is how it appears in the transcript (a Secret prints its marker). */
  send(command: string, shown: string): void {
    this.#sent.push(shown);
    this.#socket.write(`${command}\r\n`);
  }

  /** The next reply; rejects with NetError when the connection fails first or `signal` aborts (its reason). */
  next(signal: AbortSignal): Promise<TimedReply> {
    return new Promise((resolve, reject) => {
      const finish = (outcome: () => void) => {
        this.#onChange = null;
        signal.removeEventListener('abort', onAbort);
        outcome();
      };
      const onAbort = () => finish(() => reject(signal.reason));
      const check = () => {
        const reply = this.#replies.shift();
        if (reply) finish(() => resolve(reply));
        else if (this.#failure) finish(() => reject(this.#failure));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#onChange = check;
      check();
    });
  }

  /** The server's greeting, past a "ready in nnn minutes" preliminary. */
  async greeting(signal: AbortSignal): Promise<TimedReply> {
    const first = await this.next(signal);
    return first.code === READY_SOON ? this.next(signal) : first;
  }

  /** QUIT, and a short wait for its reply; never fails. */
  async quit(signal: AbortSignal): Promise<void> {
    if (this.closed) return;
    this.send('QUIT', 'QUIT');
    await this.next(AbortSignal.any([signal, AbortSignal.timeout(QUIT_WAIT_MS)])).catch(() => undefined);
  }

  /** Stops reading the socket and leaves it open, for a protocol that takes over (AUTH TLS). */
  release(): void {
    this.#onChange = null;
    this.#socket.removeListener('data', this.#onData);
    this.#socket.removeListener('close', this.#onClose);
  }

  close(): void {
    this.#onChange = null;
    this.#socket.destroy();
  }
}
