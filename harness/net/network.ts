import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type SecureVersion } from 'node:tls';
import type { ScopeGuard } from '../scope/guard.js';
import type { Secret } from '../secrets/secret.js';
import { NetError, classifyNetError } from './errors.js';
import { RateLimiter, type ConnectionLimiter } from './rate-limit.js';
import { tcpHandshake, type Handshake } from './tcp-handshake.js';

/** A TLS client certificate (PEM chain) and its private key, revealed only into the TLS stack. */
export interface ClientCertificate {
  certificate: Secret;
  key: Secret;
}

/** One TLS version and one cipher suite (IANA name, which OpenSSL takes), as a server chose them before. */
export interface TlsPin {
  version: SecureVersion;
  suite: string;
}

export interface NetworkLimits {
  connectionsPerSecond: number;
  authAttemptsPerSecond: number;
  connectTimeoutMs: number;
}

/**
 * The only way checks and probes reach the network. Every connection passes the scope guard and the
 * connection rate limit; authentication attempts additionally take a token from the auth limiter.
 */
export class GuardedNetwork {
  readonly #connections: RateLimiter;
  readonly #authAttempts: RateLimiter;
  #attemptCount = 0;

  constructor(readonly guard: ScopeGuard, readonly limits: NetworkLimits) {
    this.#connections = new RateLimiter(limits.connectionsPerSecond);
    this.#authAttempts = new RateLimiter(limits.authAttemptsPerSecond);
  }

  /** Authentication attempts made through this network so far (all checks). */
  get authAttempts(): number {
    return this.#attemptCount;
  }

  /** Waits for the authentication rate limit; call once before each credential is tried. */
  async authAttempt(signal?: AbortSignal): Promise<void> {
    await this.#authAttempts.take(signal);
    this.#attemptCount++;
  }

  /** Opens a TCP connection to an in-scope address; rejects with NetError (refused, timeout…). */
  async connectTcp(host: string, port: number, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Socket> {
    this.guard.assert(host);
    await this.#connections.take(options.signal);
    const timeoutMs = options.timeoutMs ?? this.limits.connectTimeoutMs;
    return new Promise<Socket>((resolve, reject) => {
      const socket = new Socket();
      const fail = (err: NetError) => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onAbort = () => fail(new NetError('aborted', 'aborted'));
      const timer = setTimeout(() => fail(new NetError('timeout', `no TCP connection to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        socket.removeAllListeners('error');
        socket.removeAllListeners('connect');
      };
      if (options.signal?.aborted) return fail(new NetError('aborted', 'aborted'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (err) => fail(classifyNetError(err)));
      socket.once('connect', () => {
        cleanup();
        // A quiet error listener keeps a late reset from crashing the process; users add their own.
        socket.on('error', () => {});
        resolve(socket);
      });
      socket.connect({ host, port });
    });
  }

  /**
   * A TCP handshake and nothing more, for port scans: what the port answered, the connection reset at
   * once. It waits on the caller's `limiter`, not the network's: a scan paces itself at the policy's scan
   * speed, so that it neither starves nor is starved by the other checks' connections. The scope guard
   * applies as to every connection.
   */
  async handshakeTcp(host: string, port: number, options: { timeoutMs: number; limiter: ConnectionLimiter }): Promise<Handshake> {
    this.guard.assert(host);
    await options.limiter.take();
    return tcpHandshake(host, port, options.timeoutMs);
  }

  /**
   * connectTcp, then TLS over it when asked. The peer's certificate is not verified: S1.1-12 grades it,
   * and no other probe may stop at it. SNI is sent only for `serverName`; `clientCertificate` is
   * presented when the server asks for one (mutual TLS). `session` resumes another connection's TLS session, as
   * an FTPS data connection must.
   */
  async connectStream(
    host: string,
    port: number,
    options: { tls: boolean; serverName?: string; clientCertificate?: ClientCertificate; pin?: TlsPin; session?: Buffer; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<Duplex> {
    const socket = await this.connectTcp(host, port, options);
    if (!options.tls) return socket;
    const client = options.clientCertificate;
    const pin = options.pin ? { minVersion: options.pin.version, maxVersion: options.pin.version, ciphers: options.pin.suite } : {};
    let secure;
    try {
      secure = tlsConnect({ socket, rejectUnauthorized: false, servername: options.serverName, session: options.session, ...pin, ...(client ? { cert: client.certificate.reveal(), key: client.key.reveal() } : {}) });
    } catch (err) {
      // An unusable key, certificate or pin throws before any byte is sent; the TCP socket must not outlive it.
      socket.destroy();
      throw new NetError('other', `no TLS client could be set up: ${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}`);
    }
    // As for the plain socket: a quiet listener, so that a late failure cannot crash the process.
    secure.on('error', () => {});
    return secure;
  }

  /**
   * A UDP socket (for CoAP, DTLS, SNMP…) whose every datagram passes the scope guard and takes a token
   * from the connection rate limiter (UDP has no connection; each datagram counts as one). A send to an
   * address outside the scope throws ScopeViolation before anything leaves. `connect` passes the guard
   * too, and a connected socket's sends are guarded against the address it is connected to: the kernel
   * then reports an ICMP port unreachable as an `error` event with code ECONNREFUSED (a port scan's
   * `closed`). `reuseAddr` lets a second socket bind the same port, to hear a TFTP answer that comes
   * from a port other than the one the connected socket is bound to.
   */
  udpSocket(family: 'udp4' | 'udp6' = 'udp4', options: { reuseAddr?: boolean } = {}): UdpSocket {
    const socket = createSocket({ type: family, reuseAddr: options.reuseAddr ?? false });
    socket.on('error', () => {});
    const send = socket.send.bind(socket) as (...args: unknown[]) => void;
    const connect = socket.connect.bind(socket) as (...args: unknown[]) => void;
    const guard = this.guard;
    const limiter = this.#connections;
    const connectedTo = (): string | undefined => {
      try {
        return socket.remoteAddress().address;
      } catch {
        // Not connected (or still connecting): the datagram must name its address.
        return undefined;
      }
    };
    socket.connect = ((...args: unknown[]) => {
      // connect(port, [address,] [callback]): without an address Node would pick localhost unguarded.
      guard.assert(args.find((a): a is string => typeof a === 'string') ?? '(none)');
      connect(...args);
    }) as UdpSocket['connect'];
    socket.send = ((...args: unknown[]) => {
      // send(msg, [offset, length,] port, [address,] [callback]): the address is the first string after msg.
      const address = args.slice(1).find((a): a is string => typeof a === 'string') ?? connectedTo();
      guard.assert(address ?? '(none)');
      // Datagrams keep their order: the limiter hands out tokens first come, first served.
      void limiter.take().then(() => send(...args)).catch(() => {});
    }) as UdpSocket['send'];
    return socket;
  }
}
