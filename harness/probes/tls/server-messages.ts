import { versionName, type DtlsVersion, type TlsVersion } from './registry.js';

/** Parsers for the cleartext messages a server sends in answer to a ClientHello (TLS and DTLS alike). */

export class TlsParseError extends Error {}

export const HANDSHAKE = {
  serverHello: 2,
  helloVerifyRequest: 3,
  certificate: 11,
  serverKeyExchange: 12,
  serverHelloDone: 14,
} as const;

/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

class Reader {
  #at = 0;
  constructor(readonly buf: Buffer, readonly what: string) {}
  get remaining(): number {
    return this.buf.length - this.#at;
  }
  take(n: number): Buffer {
    if (n > this.remaining) throw new TlsParseError(`${this.what} is truncated`);
    const out = this.buf.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }
  u8(): number {
    return this.take(1)[0]!;
  }
  u16(): number {
    return this.take(2).readUInt16BE();
  }
  u24(): number {
    return this.take(3).readUIntBE(0, 3);
  }
  vec8(): Buffer {
    return this.take(this.u8());
  }
  vec16(): Buffer {
    return this.take(this.u16());
  }
  vec24(): Buffer {
    return this.take(this.u24());
  }
}

export interface ServerHello {
  /** The negotiated version: supported_versions when present (TLS 1.3), else the legacy field. */
  version: TlsVersion | DtlsVersion | null;
  versionCode: number;
  cipherSuite: number;
  compression: number;
  helloRetryRequest: boolean;
  /** key_share's group (TLS 1.3 ServerHello or HelloRetryRequest). */
  keyShareGroup: number | null;
  /** The server sent renegotiation_info (RFC 5746): it supports secure renegotiation. */
  secureRenegotiation: boolean;
  extensions: number[];
}

export function parseServerHello(body: Buffer): ServerHello {
  const r = new Reader(body, 'ServerHello');
  const legacyVersion = r.u16();
  const random = r.take(32);
  r.vec8();
  const cipherSuite = r.u16();
  const compression = r.u8();
  const helloRetryRequest = random.equals(HELLO_RETRY_RANDOM);
  let versionCode = legacyVersion;
  let keyShareGroup: number | null = null;
  let secureRenegotiation = false;
  const extensions: number[] = [];
  if (r.remaining >= 2) {
    const exts = new Reader(r.vec16(), 'ServerHello extensions');
    while (exts.remaining > 0) {
      const type = exts.u16();
      const data = new Reader(exts.vec16(), `extension ${type}`);
      extensions.push(type);
      if (type === 0x002b) versionCode = data.u16();
      else if (type === 0x0033) keyShareGroup = data.u16();
      else if (type === 0xff01) secureRenegotiation = true;
    }
  }
  return { version: versionName(versionCode), versionCode, cipherSuite, compression, helloRetryRequest, keyShareGroup, secureRenegotiation, extensions };
}

/** TLS ≤ 1.2 Certificate message: the DER certificates in the order the server sent them. */
export function parseCertificateMessage(body: Buffer): Buffer[] {
  const r = new Reader(body, 'Certificate');
  const list = new Reader(r.vec24(), 'certificate_list');
  const certificates: Buffer[] = [];
  while (list.remaining > 0) certificates.push(Buffer.from(list.vec24()));
  return certificates;
}

export type KeyExchangeParameters = { kind: 'ecdhe'; group: number } | { kind: 'dhe'; primeBits: number };

/** The group of an (EC)DHE ServerKeyExchange (RFC 8422 §5.4, RFC 5246 §7.4.3). */
export function parseServerKeyExchange(body: Buffer, kind: 'ecdhe' | 'dhe'): KeyExchangeParameters {
  const r = new Reader(body, 'ServerKeyExchange');
  if (kind === 'ecdhe') {
    const curveType = r.u8();
    if (curveType !== 3) throw new TlsParseError(`ServerKeyExchange uses curve type ${curveType}, not named_curve`);
    return { kind, group: r.u16() };
  }
  const prime = r.vec16();
  const firstNonZero = prime.findIndex((b) => b !== 0);
  const significant = firstNonZero < 0 ? 0 : (prime.length - firstNonZero) * 8 - Math.clz32(prime[firstNonZero]!) + 24;
  return { kind, primeBits: significant };
}

/** DTLS HelloVerifyRequest (RFC 6347 §4.2.1): the cookie to echo. */
export function parseHelloVerifyRequest(body: Buffer): { versionCode: number; cookie: Buffer } {
  const r = new Reader(body, 'HelloVerifyRequest');
  const versionCode = r.u16();
  return { versionCode, cookie: Buffer.from(r.vec8()) };
}

/** RFC 8446 §6: alert descriptions by code, for evidence that reads like the RFC. */
const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 22: 'record_overflow', 40: 'handshake_failure',
  42: 'bad_certificate', 43: 'unsupported_certificate', 47: 'illegal_parameter', 50: 'decode_error', 51: 'decrypt_error',
  70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error', 86: 'inappropriate_fallback',
  90: 'user_canceled', 109: 'missing_extension', 110: 'unsupported_extension', 112: 'unrecognized_name',
  115: 'unknown_psk_identity', 120: 'no_application_protocol',
};

export interface Alert {
  level: number;
  description: number;
  name: string;
}

export function parseAlert(body: Buffer): Alert {
  const r = new Reader(body, 'Alert');
  const level = r.u8();
  const description = r.u8();
  return { level, description, name: ALERTS[description] ?? `alert ${description}` };
}

/** Splits a handshake byte stream into messages; returns the complete ones and the bytes left over. */
export function splitHandshakes(stream: Buffer): { messages: { type: number; body: Buffer }[]; rest: Buffer } {
  const messages: { type: number; body: Buffer }[] = [];
  let at = 0;
  while (stream.length - at >= 4) {
    const length = stream.readUIntBE(at + 1, 3);
    if (stream.length - at - 4 < length) break;
    messages.push({ type: stream[at]!, body: stream.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return { messages, rest: stream.subarray(at) };
}
