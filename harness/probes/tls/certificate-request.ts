import type { GuardedNetwork } from '../../net/network.js';
import { NetError } from '../../net/errors.js';
import { CIPHER_SUITES, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV } from './cipher-suites.js';
import { tlsClientHelloRecord } from './client-hello.js';
import { TlsParseError, parseAlert, parseServerHello, splitHandshakes, type ServerHello } from './server-messages.js';

/** What a TLS 1.2 server's first flight showed about client certificates. */
export type CertificateRequestSighting =
  /** With the version and suite the ServerHello chose, which a later handshake can be pinned to. */
  | { outcome: 'asked'; version: string | null; cipherSuite: number }
  | { outcome: 'not-asked' }
  | { outcome: 'unknown'; detail: string };

const SERVER_HELLO = 2;
const CERTIFICATE_REQUEST = 13;
const SERVER_HELLO_DONE = 14;
const CONTENT = { alert: 21, handshake: 22 } as const;
/** Enough for a long certificate chain and a long list of acceptable CAs. */
const MAX_FLIGHT_BYTES = 128 * 1024;
/** Every TLS 1.2 suite jcstar knows, so that any server picks one and sends its whole first flight. */
const TLS12_SUITES = [...CIPHER_SUITES.keys()].filter((c) => c >> 8 !== 0x13 && c !== TLS_EMPTY_RENEGOTIATION_INFO_SCSV && c !== TLS_FALLBACK_SCSV);

/**
 * A TLS 1.2 ClientHello and the server's cleartext flight up to ServerHelloDone: whether it holds a
 * CertificateRequest (RFC 5246 §7.4.4). TLS 1.3 encrypts that message, so only 1.2 can show it.
 */
export async function sightCertificateRequest(net: GuardedNetwork, target: { host: string; port: number; timeoutMs: number; signal: AbortSignal }): Promise<CertificateRequestSighting> {
  let socket;
  try {
    socket = await net.connectTcp(target.host, target.port, { signal: target.signal, timeoutMs: target.timeoutMs });
  } catch (err) {
    return { outcome: 'unknown', detail: err instanceof NetError ? err.message : String(err) };
  }
  return new Promise<CertificateRequestSighting>((resolve) => {
    let pending: Buffer = Buffer.alloc(0);
    let handshake: Buffer = Buffer.alloc(0);
    let received = 0;
    let serverHello: ServerHello | null = null;
    const finish = (sighting: CertificateRequestSighting) => {
      clearTimeout(timer);
      target.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      socket.destroy();
      resolve(sighting);
    };
    const onAbort = () => finish({ outcome: 'unknown', detail: 'aborted' });
    const timer = setTimeout(() => finish({ outcome: 'unknown', detail: `no complete TLS 1.2 server flight within ${target.timeoutMs} ms` }), target.timeoutMs);
    target.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('close', () => finish({ outcome: 'unknown', detail: 'the connection closed before ServerHelloDone' }));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      pending = Buffer.concat([pending, chunk]);
      try {
        while (pending.length >= 5) {
          const length = pending.readUInt16BE(3);
          if (pending.length < 5 + length) break;
          const type = pending[0]!;
          const fragment = pending.subarray(5, 5 + length);
          pending = pending.subarray(5 + length);
          if (type === CONTENT.alert) return finish({ outcome: 'unknown', detail: `TLS 1.2 hello refused with alert ${parseAlert(fragment).name}` });
          if (type !== CONTENT.handshake) return finish({ outcome: 'unknown', detail: `record type ${type} before ServerHelloDone` });
          handshake = Buffer.concat([handshake, fragment]);
          const { messages, rest } = splitHandshakes(handshake);
          handshake = rest;
          const hello = messages.find((m) => m.type === SERVER_HELLO);
          if (hello) serverHello = parseServerHello(hello.body);
          if (messages.some((m) => m.type === CERTIFICATE_REQUEST)) {
            if (!serverHello) return finish({ outcome: 'unknown', detail: 'a CertificateRequest came without a ServerHello before it' });
            return finish({ outcome: 'asked', version: serverHello.version, cipherSuite: serverHello.cipherSuite });
          }
          if (messages.some((m) => m.type === SERVER_HELLO_DONE)) return finish({ outcome: 'not-asked' });
        }
        if (received > MAX_FLIGHT_BYTES) finish({ outcome: 'unknown', detail: `more than ${MAX_FLIGHT_BYTES} bytes without ServerHelloDone` });
      } catch (err) {
        finish({ outcome: 'unknown', detail: err instanceof TlsParseError ? err.message : String(err) });
      }
    });
    socket.write(tlsClientHelloRecord({ version: 'TLSv1.2', cipherSuites: TLS12_SUITES }));
  });
}
