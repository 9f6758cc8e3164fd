import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { ScopeGuard } from '../../scope/guard.js';
import type { RequestLog } from './request-log.js';

/**
 * Every connection to the update server passes here before any byte is answered: the scope guard
 * (outside it: destroyed unanswered and recorded), the bound on open connections, and the choice
 * between TLS and plain HTTP. One port serves either, by the client's first byte (a TLS record starts
 * with 0x16), so that the same address and port the device knows can present the genuine certificate,
 * a made-up one, or no TLS at all. A client speaking the other kind than the port serves now is
 * recorded and closed: a device that starts TLS against the plain-HTTP downgrade refused it.
 */

export const MAX_CONNECTIONS = 32;
/** Idle connections, TLS handshakes and request headers each get this long, unless the server is told otherwise. */
export const IDLE_MS = 30_000;
const TLS_HANDSHAKE_RECORD = 0x16;
const REQUEST_LINE = /^([A-Z]{1,16}) (\S{1,512}) HTTP\/\d\.\d\r?\n/;

/** What the port answers now: TLS with this context, or plain HTTP. */
export type PortChannel = { tls: SecureContext } | { tls: null };

export class ConnectionGate {
  readonly #open = new Set<Socket>();

  constructor(
    readonly guard: ScopeGuard,
    readonly log: RequestLog,
    readonly http: HttpServer,
    readonly idleMs: number,
  ) {}

  /** Takes a freshly accepted connection on a port whose channel `channelNow` tells at the first byte. */
  accept(socket: Socket, channelNow: () => PortChannel): void {
    socket.on('error', () => {});
    const client = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const at = new Date().toISOString();
    if (!this.guard.allows(client.address)) {
      socket.destroy();
      this.log.record({ at, client, inScope: false, channel: channelNow().tls ? 'tls' : 'plain' });
      return;
    }
    if (this.#open.size >= MAX_CONNECTIONS) {
      socket.destroy();
      this.log.connectionsDropped++;
      return;
    }
    this.#open.add(socket);
    socket.once('close', () => this.#open.delete(socket));
    socket.setTimeout(this.idleMs, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const channel = channelNow();
      const speaksTls = first[0] === TLS_HANDSHAKE_RECORD;
      if (speaksTls && channel.tls) return this.#startTls(socket, channel.tls, client);
      if (!speaksTls && !channel.tls) {
        socket.setTimeout(0);
        this.http.emit('connection', socket);
        socket.resume();
        return;
      }
      socket.destroy();
      const request = REQUEST_LINE.exec(first.subarray(0, 600).toString('latin1'));
      this.log.record({
        at: new Date().toISOString(),
        client,
        inScope: true,
        channel: channel.tls ? 'tls' : 'plain',
        ...(request ? { method: request[1], path: request[2] } : {}),
        tlsError: speaksTls ? 'the client began a TLS handshake; this port served plain HTTP' : 'the client sent plain HTTP; this port served TLS',
      });
    });
  }

  #startTls(socket: Socket, secureContext: SecureContext, client: { address: string; port: number }): void {
    const secure = new TLSSocket(socket, { isServer: true, secureContext, requestCert: false });
    socket.setTimeout(0);
    let handshaking = true;
    const refused = (reason: string) => {
      if (!handshaking) return;
      handshaking = false;
      clearTimeout(handshakeTimer);
      secure.destroy();
      this.log.record({ at: new Date().toISOString(), client, inScope: true, channel: 'tls', tlsError: reason });
    };
    const handshakeTimer = setTimeout(() => refused(`no TLS handshake within ${this.idleMs} ms`), this.idleMs);
    secure.on('error', (err: Error & { code?: string; reason?: string }) => refused([err.code, err.reason ?? err.message.split('\n')[0]].filter(Boolean).join(': ')));
    // A client that refuses the certificate may just close, without an alert.
    secure.once('close', () => refused('the client closed the connection during the TLS handshake'));
    secure.once('secure', () => {
      handshaking = false;
      clearTimeout(handshakeTimer);
      this.http.emit('connection', secure);
    });
  }

  /** Destroys every open connection (at close). */
  destroyAll(): void {
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }
}
