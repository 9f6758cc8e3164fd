import { CIPHER_SUITES } from '../../tls/cipher-suites.js';
import { tlsClientHelloRecord } from '../../tls/client-hello.js';
import { tlsLayer } from '../tls-layer.js';
import type { Recogniser } from '../recogniser.js';

const HANDSHAKE = 0x16;
const ALERT = 0x15;

/** Every suite jcstar knows, offered as TLS 1.3 without key shares: any TLS server answers with a record (hello, retry request or alert). */
function clientHello(): Buffer {
  return tlsClientHelloRecord({ version: 'TLSv1.3', cipherSuites: [...CIPHER_SUITES.keys()], keyShares: [] });
}

/** A TLS record header (RFC 8446 §5.1): handshake or alert, version 3.x. */
function isTlsRecord(reply: Buffer): boolean {
  return reply.length >= 5 && (reply[0] === HANDSHAKE || reply[0] === ALERT) && reply[1] === 3 && (reply[2] ?? 9) <= 4;
}

/** TLS answers a ClientHello with a record; what it wraps is identified inside, over node's TLS client. */
export const tls: Recogniser = {
  service: 'tls',
  probe: { name: 'tls ClientHello', payload: clientHello, complete: (reply) => reply.length >= 5 },
  recognises: (reply, probe) => probe === 'tls ClientHello' && isTlsRecord(reply),
  async describe(reply, s) {
    s.identity.tls = true;
    s.identity.service = 'tls';
    s.speaks(null, null);
    s.identity.details['tls.answer'] = reply[0] === HANDSHAKE ? 'handshake' : 'alert';
    await s.identifyWithin(tlsLayer(s));
  },
};
