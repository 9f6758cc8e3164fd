import type { Duplex } from 'node:stream';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError } from '../../net/errors.js';
import { RtspMessageReader, asResponse, field, formatRtspMessage, type RtspResponse } from './message.js';

const RAW_LIMIT = 64 * 1024;
/** Responses the server may send ahead of what was asked; more is a flood, not a conversation. */
const MAX_UNREAD_RESPONSES = 20;

export interface RtspRequestOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** Transcript values for fields whose wire value must not be written down (Authorization). */
  redact?: Record<string, string>;
}

/** An RTSP/1.0 client connection: numbers requests by CSeq and matches each response to its request. */
export class RtspConnection {
  #cseq = 0;
  #reader = new RtspMessageReader();
  #responses: RtspResponse[] = [];
  #failure: NetError | null = null;
  #wake: () => void = () => {};
  #raw: Buffer[] = [];
  #rawSize = 0;
  /** Every request written, with any `redact`ed field shown by its transcript value. */
  readonly sent: string[] = [];
  readonly #stream: Duplex;

  constructor(stream: Duplex) {
    this.#stream = stream;
    stream.on('data', (chunk: Buffer) => {
      if (this.#rawSize < RAW_LIMIT) this.#raw.push(chunk.subarray(0, RAW_LIMIT - this.#rawSize));
      this.#rawSize += chunk.length;
      try {
        this.#responses.push(...this.#reader.push(chunk).map(asResponse));
        if (this.#responses.length > MAX_UNREAD_RESPONSES) {
          throw new NetError('protocol', `the RTSP server sent more than ${MAX_UNREAD_RESPONSES} responses that nothing asked for; jcstar stopped reading and closed`);
        }
      } catch (err) {
        this.#fail(classifyNetError(err));
        stream.destroy();
      }
      this.#wake();
    });
    stream.on('error', (err) => this.#fail(classifyNetError(err)));
    stream.on('end', () => this.#fail(new NetError('closed', 'the RTSP server closed the connection')));
    stream.on('close', () => this.#fail(new NetError('closed', 'the RTSP connection closed')));
  }

  static async open(net: GuardedNetwork, host: string, port: number, options: { signal: AbortSignal; timeoutMs: number }): Promise<RtspConnection> {
    return new RtspConnection(await net.connectTcp(host, port, options));
  }

  /** False once the server closed, reset or garbled the connection. */
  get open(): boolean {
    return this.#failure === null;
  }

  /** Everything the server sent on this connection, verbatim (capped). */
  get rawReceived(): Buffer {
    return Buffer.concat(this.#raw);
  }

  #fail(err: NetError): void {
    this.#failure ??= err;
    this.#wake();
  }

  /** Sends one request and waits for the response bearing its CSeq (or none); rejects with a NetError. */
  async request(method: string, url: string, fields: Record<string, string>, options: RtspRequestOptions): Promise<RtspResponse> {
    const cseq = String(++this.#cseq);
    const startLine = `${method} ${url} RTSP/1.0`;
    const wire: Array<[string, string]> = [['CSeq', cseq], ...Object.entries(fields)];
    if (this.#failure) throw this.#failure;
    this.sent.push(formatRtspMessage(startLine, wire.map(([n, v]) => [n, options.redact?.[n] ?? v])));
    this.#stream.write(formatRtspMessage(startLine, wire));
    return new Promise<RtspResponse>((resolve, reject) => {
      const finish = (outcome: () => void): void => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        this.#wake = () => {};
        outcome();
      };
      const onAbort = (): void => finish(() => reject(new NetError('aborted', 'aborted')));
      const timer = setTimeout(() => finish(() => reject(new NetError('timeout', `no RTSP response to ${method} within ${options.timeoutMs} ms`))), options.timeoutMs);
      options.signal.addEventListener('abort', onAbort, { once: true });
      this.#wake = () => {
        // A response bearing another CSeq answers no request pending now (a late one, a server's slip);
        // one without CSeq is taken as the answer, as some cameras omit it.
        let response: RtspResponse | undefined;
        while (!response && this.#responses.length) {
          const next = this.#responses.shift()!;
          const echoed = field(next, 'CSeq');
          if (echoed === undefined || echoed.trim() === cseq) response = next;
        }
        if (response) finish(() => resolve(response!));
        else if (this.#failure) finish(() => reject(this.#failure));
      };
      if (options.signal.aborted) onAbort();
      else this.#wake();
    });
  }

  close(): void {
    this.#fail(new NetError('closed', 'closed by jcstar'));
    this.#stream.destroy();
  }
}
