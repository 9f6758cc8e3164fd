import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { NetError, classifyNetError } from '../../net/errors.js';
import { printable } from './excerpt.js';
import type { Layer, PortSession } from './recogniser.js';

/** ALPN names (IANA registry) of the protocols jcstar identifies inside TLS; the server's pick says what it speaks. */
export const ALPN_OFFER = ['http/1.1', 'mqtt', 'coap'];

function handshake(s: PortSession, socket: Duplex & { destroy(): void }): Promise<TLSSocket> {
  return new Promise<TLSSocket>((resolve, reject) => {
    const secure = tlsConnect({ socket: socket as never, rejectUnauthorized: false, ALPNProtocols: ALPN_OFFER });
    const fail = (err: NetError) => {
      clearTimeout(timer);
      s.signal.removeEventListener('abort', onAbort);
      secure.destroy();
      socket.destroy();
      reject(err);
    };
    const onAbort = () => fail(new NetError('aborted', 'aborted'));
    const timer = setTimeout(() => fail(new NetError('timeout', `no TLS handshake within ${s.replyTimeoutMs} ms`)), s.replyTimeoutMs);
    s.signal.addEventListener('abort', onAbort, { once: true });
    secure.once('error', (err) => fail(new NetError('protocol', `TLS handshake failed: ${err.message.split('\n')[0]}`)));
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      s.signal.removeEventListener('abort', onAbort);
      secure.removeAllListeners('error');
      secure.on('error', () => {});
      resolve(secure);
    });
  });
}

function noteHandshake(s: PortSession, secure: TLSSocket): void {
  const { details } = s.identity;
  details['tls.version'] = secure.getProtocol() ?? 'unknown';
  if (secure.alpnProtocol) details['tls.alpn'] = secure.alpnProtocol;
  const cert = secure.getPeerCertificate();
  if (cert?.subject?.CN) details['tls.subject'] = printable(String(cert.subject.CN), 160);
  if (cert?.issuer?.CN) details['tls.issuer'] = printable(String(cert.issuer.CN), 160);
}

/** Connections through node's TLS client over the guarded network; the first handshake's facts go into the identity. */
export function tlsLayer(s: PortSession): Layer {
  let noted = false;
  return {
    tls: true,
    async open() {
      const socket = await s.net.connectTcp(s.host, s.port, { signal: s.signal, timeoutMs: s.replyTimeoutMs });
      try {
        const secure = await handshake(s, socket);
        if (!noted) noteHandshake(s, secure);
        noted = true;
        return secure;
      } catch (err) {
        const e = classifyNetError(err);
        if (!noted) s.identity.details['tls.error'] = printable(e.message, 200);
        throw e;
      }
    },
  };
}
