import type { Socket as UdpSocket } from 'node:dgram';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError } from '../../net/errors.js';

/** Datagrams held while nobody reads; a peer that floods us past this is not answering a hello. */
const MAX_QUEUED = 64;

/** Datagrams sent over every channel of one probe, retransmissions included. */
export interface DatagramTally {
  sent: number;
}

/**
 * One UDP association with the device: a fresh guarded socket (so a fresh source port, which the
 * server sees as a new client), hearing only datagrams from host:port. Waits are bounded by the
 * caller's timeout and end early on abort.
 */
export class DatagramChannel {
  readonly #socket: UdpSocket;
  readonly #queue: Buffer[] = [];
  #wake: (() => void) | null = null;
  #error: Error | null = null;

  constructor(
    net: GuardedNetwork,
    readonly host: string,
    readonly port: number,
    readonly signal: AbortSignal,
    readonly tally: DatagramTally,
  ) {
    this.#socket = net.udpSocket(host.includes(':') ? 'udp6' : 'udp4');
    this.#socket.on('message', (datagram, from) => {
      if (from.address !== host || from.port !== port || this.#queue.length >= MAX_QUEUED) return;
      this.#queue.push(datagram);
      this.#wake?.();
    });
    this.#socket.on('error', (err) => {
      this.#error = err;
      this.#wake?.();
    });
  }

  /** Sends one datagram; rejects with NetError, or with ScopeViolation before anything leaves. */
  send(datagram: Buffer): Promise<void> {
    if (this.signal.aborted) return Promise.reject(new NetError('aborted', 'aborted'));
    return new Promise((resolve, reject) => {
      this.#socket.send(datagram, this.port, this.host, (err) => (err ? reject(classifyNetError(err)) : resolve()));
      this.tally.sent++;
    });
  }

  /** The next datagram from the device, or 'timeout' when none came within `timeoutMs`. */
  async receive(timeoutMs: number): Promise<Buffer | 'timeout'> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.#queue.shift();
      if (next) return next;
      if (this.#error) throw classifyNetError(this.#error);
      if (this.signal.aborted) throw new NetError('aborted', 'aborted');
      const remaining = deadline - Date.now();
      if (remaining <= 0) return 'timeout';
      await this.#wait(remaining);
    }
  }

  close(): void {
    this.#wake?.();
    try {
      this.#socket.close();
    } catch {
      // Already closed: nothing left to release.
    }
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }
}
