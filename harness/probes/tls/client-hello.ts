import { randomBytes } from 'node:crypto';
import { TLS_EMPTY_RENEGOTIATION_INFO_SCSV } from './cipher-suites.js';
import { NAMED_GROUPS, SIGNATURE_SCHEMES, versionCode, type DtlsVersion, type TlsVersion } from './registry.js';

/**
 * Hand-built ClientHello messages (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2, RFC 6347 §4.2.1). Node's TLS
 * stack cannot offer SSLv3 or most legacy suites, so the probes write the hello themselves, as
 * testssl.sh does in its sockets mode, and read only the server's cleartext answer.
 */
export interface ClientHelloOptions {
  version: TlsVersion | DtlsVersion;
  cipherSuites: readonly number[];
  /** Host name for server_name; IP literals are never sent (RFC 6066 §3). */
  serverName?: string | null;
  /** Offered groups; default all known. */
  groups?: readonly number[];
  /** TLS 1.3 key shares to include; an empty list asks for a HelloRetryRequest naming the server's group. */
  keyShares?: readonly KeyShare[];
  /** Offer DEFLATE besides null compression, to see whether the server picks it (CRIME). */
  offerCompression?: boolean;
  /** DTLS only: the cookie from a HelloVerifyRequest. */
  cookie?: Buffer;
  /**
   * DTLS only: the random of the first hello, repeated in the hello that carries the cookie, which a
   * server may bind the cookie to (RFC 6347 §4.2.1; tinydtls does). Default: fresh.
   */
  random?: Buffer;
  /** Omit every extension (some SSLv3 servers refuse a hello that has any). */
  noExtensions?: boolean;
}

export interface KeyShare {
  group: number;
  publicKey: Buffer;
}

const EXT = {
  serverName: 0x0000,
  supportedGroups: 0x000a,
  ecPointFormats: 0x000b,
  signatureAlgorithms: 0x000d,
  extendedMasterSecret: 0x0017,
  supportedVersions: 0x002b,
  pskKeyExchangeModes: 0x002d,
  keyShare: 0x0033,
  renegotiationInfo: 0xff01,
} as const;

const HANDSHAKE_CLIENT_HELLO = 1;
export const CONTENT_HANDSHAKE = 22;

function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}
function vec8(body: Buffer): Buffer {
  return Buffer.concat([u8(body.length), body]);
}
function vec16(body: Buffer): Buffer {
  return Buffer.concat([u16(body.length), body]);
}
function list16(values: readonly number[]): Buffer {
  return vec16(Buffer.concat(values.map(u16)));
}
function extension(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(body)]);
}

const isDtls = (v: TlsVersion | DtlsVersion): v is DtlsVersion => v.startsWith('DTLS');
const IP_LITERAL = /^[\d.]+$|:/;

function extensions(o: ClientHelloOptions): Buffer {
  const groups = o.groups ?? [...NAMED_GROUPS.keys()];
  const exts: Buffer[] = [];
  if (o.serverName && !IP_LITERAL.test(o.serverName)) {
    const name = Buffer.from(o.serverName, 'ascii');
    exts.push(extension(EXT.serverName, vec16(Buffer.concat([u8(0), vec16(name)]))));
  }
  exts.push(extension(EXT.supportedGroups, list16(groups)));
  exts.push(extension(EXT.ecPointFormats, vec8(Buffer.from([0, 1, 2]))));
  exts.push(extension(EXT.signatureAlgorithms, list16(SIGNATURE_SCHEMES)));
  exts.push(extension(EXT.extendedMasterSecret, Buffer.alloc(0)));
  exts.push(extension(EXT.renegotiationInfo, vec8(Buffer.alloc(0))));
  if (o.version === 'TLSv1.3') {
    exts.push(extension(EXT.supportedVersions, vec8(u16(versionCode('TLSv1.3')))));
    exts.push(extension(EXT.pskKeyExchangeModes, vec8(Buffer.from([1]))));
    const shares = (o.keyShares ?? []).map((s) => Buffer.concat([u16(s.group), vec16(s.publicKey)]));
    exts.push(extension(EXT.keyShare, vec16(Buffer.concat(shares))));
  }
  return vec16(Buffer.concat(exts));
}

/** The ClientHello body (without the handshake header). */
export function clientHelloBody(o: ClientHelloOptions): Buffer {
  // TLS 1.3 travels as a TLS 1.2 hello with supported_versions (RFC 8446 §4.1.2).
  const legacyVersion = o.version === 'TLSv1.3' ? versionCode('TLSv1.2') : versionCode(o.version);
  const suites = o.noExtensions ? [...o.cipherSuites, TLS_EMPTY_RENEGOTIATION_INFO_SCSV] : o.cipherSuites;
  const parts = [
    u16(legacyVersion),
    o.random ?? randomBytes(32),
    vec8(o.version === 'TLSv1.3' ? randomBytes(32) : Buffer.alloc(0)),
  ];
  if (isDtls(o.version)) parts.push(vec8(o.cookie ?? Buffer.alloc(0)));
  parts.push(list16(suites));
  parts.push(vec8(Buffer.from(o.offerCompression ? [1, 0] : [0])));
  if (!o.noExtensions) parts.push(extensions(o));
  return Buffer.concat(parts);
}

/** A ClientHello in one TLS record, ready to write on a TCP connection. */
export function tlsClientHelloRecord(o: ClientHelloOptions): Buffer {
  const body = clientHelloBody(o);
  const handshake = Buffer.concat([u8(HANDSHAKE_CLIENT_HELLO), u24(body.length), body]);
  // Record version: SSLv3 for an SSLv3 hello, TLS 1.0 otherwise, as the oldest servers expect.
  const recordVersion = o.version === 'SSLv3' ? versionCode('SSLv3') : versionCode('TLSv1.0');
  return Buffer.concat([u8(CONTENT_HANDSHAKE), u16(recordVersion), vec16(handshake)]);
}

/**
 * A ClientHello in one DTLS record (RFC 6347 §4.1, §4.2.2): epoch 0, the given record sequence, and
 * an unfragmented handshake with message_seq `messageSeq`.
 */
export function dtlsClientHelloRecord(o: ClientHelloOptions, messageSeq: number, recordSeq: number): Buffer {
  const body = clientHelloBody(o);
  const handshake = Buffer.concat([u8(HANDSHAKE_CLIENT_HELLO), u24(body.length), u16(messageSeq), u24(0), u24(body.length), body]);
  const seq = Buffer.alloc(6);
  seq.writeUIntBE(recordSeq, 0, 6);
  // DTLS 1.0 record version for the first flight, as DTLS 1.2 allows (RFC 6347 §4.2.1).
  return Buffer.concat([u8(CONTENT_HANDSHAKE), u16(versionCode('DTLSv1.0')), u16(0), seq, vec16(handshake)]);
}
