import type { Socket } from 'node:net';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError } from '../../net/errors.js';
import { tlsClientHelloRecord, type ClientHelloOptions } from './client-hello.js';
import type { StartTls } from './starttls.js';
import {
  HANDSHAKE,
  TlsParseError,
  parseAlert,
  parseCertificateMessage,
  parseServerHello,
  splitHandshakes,
  type Alert,
  type ServerHello,
} from './server-messages.js';

export interface TlsEndpoint {
  host: string;
  port: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** Runs on the fresh connection before the hello, e.g. FTP's AUTH TLS. */
  upgrade?: StartTls;
}

export type ServerAnswer =
  | {
      kind: 'server-hello';
      serverHello: ServerHello;
      /** Null when no Certificate message came, or it could not be parsed (then `certificateProblem` says why). */
      certificates: Buffer[] | null;
      certificateProblem: string | null;
      serverKeyExchange: Buffer | null;
      /** ServerHelloDone arrived: every cleartext message of the flight was seen. */
      flightComplete: boolean;
    }
  | { kind: 'alert'; alert: Alert }
  | { kind: 'closed' };

const CONTENT = { alert: 21, handshake: 22 } as const;
/** Enough for a long certificate chain; a server that sends more before ServerHelloDone is not answering a hello. */
const MAX_FLIGHT_BYTES = 128 * 1024;

/**
 * One ClientHello on a fresh connection and the server's cleartext answer. Reading stops at the
 * ServerHello, or, with `untilDone`, at ServerHelloDone (TLS ≤ 1.2) so that the Certificate and
 * ServerKeyExchange are seen. Connection failures and timeouts reject with NetError; bytes that are
 * not TLS reject with TlsParseError.
 */
export async function tlsHandshake(net: GuardedNetwork, endpoint: TlsEndpoint, hello: ClientHelloOptions, untilDone = false): Promise<ServerAnswer> {
  const socket = await net.connectTcp(endpoint.host, endpoint.port, { signal: endpoint.signal, timeoutMs: endpoint.timeoutMs });
  try {
    if (endpoint.upgrade) await endpoint.upgrade(socket, endpoint.timeoutMs, endpoint.signal);
    return await exchange(socket, endpoint, tlsClientHelloRecord(hello), untilDone);
  } finally {
    socket.destroy();
  }
}

function exchange(socket: Socket, endpoint: TlsEndpoint, record: Buffer, untilDone: boolean): Promise<ServerAnswer> {
  return new Promise<ServerAnswer>((resolve, reject) => {
    let pending: Buffer = Buffer.alloc(0);
    let handshake: Buffer = Buffer.alloc(0);
    let received = 0;
    let serverHello: ServerHello | null = null;
    let certificates: Buffer[] | null = null;
    let certificateProblem: string | null = null;
    let serverKeyExchange: Buffer | null = null;
    const finish = (err: Error | null, answer?: ServerAnswer) => {
      clearTimeout(timer);
      endpoint.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      if (err) reject(err);
      else resolve(answer!);
    };
    const onAbort = () => finish(new NetError('aborted', 'aborted'));
    const timer = setTimeout(() => finish(new NetError('timeout', `no TLS answer within ${endpoint.timeoutMs} ms`)), endpoint.timeoutMs);
    endpoint.signal.addEventListener('abort', onAbort, { once: true });
    const answered = (flightComplete = false) => serverHello && { kind: 'server-hello' as const, serverHello, certificates, certificateProblem, serverKeyExchange, flightComplete };

    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      pending = Buffer.concat([pending, chunk]);
      try {
        while (pending.length >= 5) {
          const type = pending[0]!;
          if (type < 20 || type > 23) throw new TlsParseError(`not a TLS record (first bytes ${pending.subarray(0, 8).toString('hex')})`);
          const length = pending.readUInt16BE(3);
          if (pending.length < 5 + length) break;
          const fragment = pending.subarray(5, 5 + length);
          pending = pending.subarray(5 + length);
          if (type === CONTENT.alert) {
            const partial = answered();
            return finish(null, partial ?? { kind: 'alert', alert: parseAlert(fragment) });
          }
          if (type !== CONTENT.handshake) {
            // Encrypted TLS 1.3 records or a ChangeCipherSpec: nothing more is cleartext.
            const partial = answered();
            if (partial) return finish(null, partial);
            throw new TlsParseError(`record type ${type} before any ServerHello`);
          }
          handshake = Buffer.concat([handshake, fragment]);
          const { messages, rest } = splitHandshakes(handshake);
          handshake = rest;
          for (const message of messages) {
            if (message.type === HANDSHAKE.serverHello) {
              serverHello = parseServerHello(message.body);
              const tls13 = serverHello.version === 'TLSv1.3' || serverHello.helloRetryRequest;
              if (!untilDone || tls13) return finish(null, answered()!);
            } else if (message.type === HANDSHAKE.certificate) {
              // A Certificate that does not parse is a fact about the server, not the end of the observation.
              try {
                certificates = parseCertificateMessage(message.body);
              } catch (err) {
                if (!(err instanceof TlsParseError)) throw err;
                certificateProblem = err.message;
              }
            } else if (message.type === HANDSHAKE.serverKeyExchange) serverKeyExchange = Buffer.from(message.body);
            else if (message.type === HANDSHAKE.serverHelloDone) return finish(null, answered(true) ?? { kind: 'closed' });
          }
        }
        if (received > MAX_FLIGHT_BYTES) throw new TlsParseError(`more than ${MAX_FLIGHT_BYTES} bytes without a complete answer`);
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.on('close', () => finish(null, answered() ?? { kind: 'closed' }));
    socket.write(record);
  });
}
