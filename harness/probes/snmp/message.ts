import forge from 'node-forge';

/**
 * SNMP messages as RFC 1157 (v1), RFC 3416 (v2c PDUs) and RFC 3412/3414 (v3 with USM) frame them,
 * encoded and decoded by node-forge's ASN.1 (DER is valid BER). Only what jcstar sends and what answers
 * it: GET-style PDUs and reports; a v1 Trap is refused as undecodable. An encrypted v3 scoped PDU is
 * decoded only as far as its header (decodeSnmpDatagram); usm-message.ts decrypts it.
 */

const { asn1 } = forge;
const { Class, Type } = asn1;

export type SnmpVersion = 'v1' | 'v2c' | 'v3';
const VERSION_NUMBERS: Record<SnmpVersion, number> = { v1: 0, v2c: 1, v3: 3 };

/** Context-specific tags of the PDUs that share the request-id, error-status, error-index layout (RFC 3416 §3). */
const PDU_TAGS = {
  'get-request': 0,
  'get-next-request': 1,
  'get-response': 2,
  'set-request': 3,
  'get-bulk-request': 5,
  'inform-request': 6,
  'snmpv2-trap': 7,
  report: 8,
} as const;
export type SnmpPduType = keyof typeof PDU_TAGS;

const PDU_NAMES: Record<SnmpPduType, string> = {
  'get-request': 'GetRequest',
  'get-next-request': 'GetNextRequest',
  'get-response': 'GetResponse',
  'set-request': 'SetRequest',
  'get-bulk-request': 'GetBulkRequest',
  'inform-request': 'InformRequest',
  'snmpv2-trap': 'SNMPv2-Trap',
  report: 'Report',
};

/** Application tags of the SMIv2 unsigned types (RFC 2578 §7.1). */
const UNSIGNED_TAGS = { counter32: 1, gauge32: 2, timeticks: 3 } as const;
/** Context-specific tags of the varbind exceptions (RFC 3416 §3). */
const EXCEPTION_TAGS = { 'no-such-object': 0, 'no-such-instance': 1, 'end-of-mib-view': 2 } as const;

export type SnmpValue =
  | { type: 'null' }
  | { type: 'integer'; value: number }
  | { type: 'octet-string'; bytes: Buffer }
  | { type: 'oid'; oid: string }
  | { type: keyof typeof UNSIGNED_TAGS; value: number }
  | { type: keyof typeof EXCEPTION_TAGS }
  /** Any other type (IpAddress, Opaque, Counter64…), kept as its tag and content bytes. */
  | { type: 'other'; tag: string; bytes: Buffer };

export interface SnmpVarbind {
  oid: string;
  value: SnmpValue;
}

export interface SnmpPdu {
  type: SnmpPduType;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  varbinds: SnmpVarbind[];
}

export interface CommunityMessage {
  version: 'v1' | 'v2c';
  community: string;
  pdu: SnmpPdu;
}

/** UsmSecurityParameters (RFC 3414 §2.4). */
export interface UsmParameters {
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  userName: string;
  /** msgAuthenticationParameters (the HMAC tag); absent when empty. */
  authParameters?: Buffer;
  /** msgPrivacyParameters (the salt); absent when empty. */
  privacyParameters?: Buffer;
}

/** msgGlobalData and the USM parameters: everything of a v3 message but its scoped PDU. */
export interface V3Header {
  version: 'v3';
  messageId: number;
  maxSize: number;
  /** msgFlags: 0x01 auth, 0x02 priv, 0x04 reportable. */
  flags: number;
  /** 3 is USM. */
  securityModel: number;
  usm: UsmParameters;
}

export interface ScopedPdu {
  contextEngineId: Buffer;
  contextName: string;
  pdu: SnmpPdu;
}

export interface V3Message extends V3Header, ScopedPdu {}

/** A v3 message whose scoped PDU is encrypted (authPriv): only its header can be read without the key. */
export interface EncryptedV3Message extends V3Header {
  encryptedPdu: Buffer;
}

export type SnmpMessage = CommunityMessage | V3Message;
/** What a datagram can decode to: a plaintext message, or an encrypted v3 one. */
export type SnmpDatagram = SnmpMessage | EncryptedV3Message;

export const USM_SECURITY_MODEL = 3;
export const AUTH_FLAG = 0x01;
export const PRIV_FLAG = 0x02;
export const REPORTABLE = 0x04;

export class SnmpDecodeError extends Error {
  override name = 'SnmpDecodeError';
}

type Node = forge.asn1.Asn1;

function bytesOf(buffer: Buffer): string {
  return buffer.toString('binary');
}

function bufferOf(bytes: string): Buffer {
  return Buffer.from(bytes, 'binary');
}

function primitive(type: number, bytes: string, tagClass = Class.UNIVERSAL): Node {
  return asn1.create(tagClass, type, false, bytes);
}

function sequence(items: Node[]): Node {
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
}

function integer(value: number): Node {
  return primitive(Type.INTEGER, asn1.integerToDer(value).getBytes());
}

function octets(value: Buffer | string): Node {
  return primitive(Type.OCTETSTRING, bytesOf(Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8')));
}

/** Content octets of a non-negative INTEGER up to 2^32 - 1: big-endian, a leading zero when the top bit is set. */
function unsignedBytes(value: number): string {
  const out: number[] = [];
  let rest = value;
  do {
    out.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (out[0]! & 0x80) out.unshift(0);
  return String.fromCharCode(...out);
}

function valueNode(value: SnmpValue): Node {
  switch (value.type) {
    case 'null':
      return primitive(Type.NULL, '');
    case 'integer':
      return integer(value.value);
    case 'octet-string':
      return octets(value.bytes);
    case 'oid':
      return primitive(Type.OID, asn1.oidToDer(value.oid).getBytes());
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return primitive(UNSIGNED_TAGS[value.type], unsignedBytes(value.value), Class.APPLICATION);
    case 'no-such-object':
    case 'no-such-instance':
    case 'end-of-mib-view':
      return primitive(EXCEPTION_TAGS[value.type], '', Class.CONTEXT_SPECIFIC);
    case 'other':
      throw new Error(`cannot encode an SNMP value of type ${value.tag}`);
  }
}

function pduNode(pdu: SnmpPdu): Node {
  const varbinds = pdu.varbinds.map((v) => sequence([primitive(Type.OID, asn1.oidToDer(v.oid).getBytes()), valueNode(v.value)]));
  return asn1.create(Class.CONTEXT_SPECIFIC, PDU_TAGS[pdu.type], true, [integer(pdu.requestId), integer(pdu.errorStatus), integer(pdu.errorIndex), sequence(varbinds)]);
}

function der(node: Node): Buffer {
  return bufferOf(asn1.toDer(node).getBytes());
}

export function encodeSnmpMessage(message: SnmpMessage): Buffer {
  if (message.version !== 'v3') return der(sequence([integer(VERSION_NUMBERS[message.version]), octets(message.community), pduNode(message.pdu)]));
  return encodeV3(message, message);
}

/** The DER of a scoped PDU: what USM privacy encrypts. */
export function encodeScopedPdu(scoped: ScopedPdu): Buffer {
  return der(scopedPduNode(scoped));
}

function scopedPduNode(scoped: ScopedPdu): Node {
  return sequence([octets(scoped.contextEngineId), octets(scoped.contextName), pduNode(scoped.pdu)]);
}

/**
 * A v3 message around its scoped PDU, or around the ciphertext of one (authPriv). DER is deterministic,
 * so the same message encodes to the same bytes: an HMAC over the encoding with a zeroed tag fits the
 * encoding with the tag filled in.
 */
export function encodeV3(header: V3Header, scoped: ScopedPdu | { encryptedPdu: Buffer }): Buffer {
  const { usm } = header;
  const securityParameters = sequence([
    octets(usm.engineId),
    integer(usm.engineBoots),
    integer(usm.engineTime),
    octets(usm.userName),
    octets(usm.authParameters ?? Buffer.alloc(0)),
    octets(usm.privacyParameters ?? Buffer.alloc(0)),
  ]);
  return der(
    sequence([
      integer(VERSION_NUMBERS.v3),
      sequence([integer(header.messageId), integer(header.maxSize), octets(Buffer.from([header.flags])), integer(header.securityModel)]),
      octets(der(securityParameters)),
      'encryptedPdu' in scoped ? octets(scoped.encryptedPdu) : scopedPduNode(scoped),
    ]),
  );
}

function expectNode(node: Node | undefined, what: string, tagClass: number, type: number, constructed: boolean): Node {
  if (!node || node.tagClass !== tagClass || node.type !== type || node.constructed !== constructed) {
    throw new SnmpDecodeError(`${what}: unexpected ASN.1 element${node ? ` (class 0x${node.tagClass.toString(16)}, tag ${node.type})` : ' (missing)'}`);
  }
  return node;
}

function children(node: Node | undefined, what: string, count?: number): Node[] {
  const items = expectNode(node, what, Class.UNIVERSAL, Type.SEQUENCE, true).value as Node[];
  if (count !== undefined && items.length !== count) throw new SnmpDecodeError(`${what}: ${items.length} elements, expected ${count}`);
  return items;
}

function readInteger(node: Node | undefined, what: string): number {
  const bytes = expectNode(node, what, Class.UNIVERSAL, Type.INTEGER, false).value as string;
  if (bytes.length === 0 || bytes.length > 4) throw new SnmpDecodeError(`${what}: not a 32-bit INTEGER`);
  return asn1.derToInteger(bytes);
}

function readOctets(node: Node | undefined, what: string): Buffer {
  return bufferOf(expectNode(node, what, Class.UNIVERSAL, Type.OCTETSTRING, false).value as string);
}

function readOid(node: Node | undefined, what: string): string {
  return asn1.derToOid(expectNode(node, what, Class.UNIVERSAL, Type.OID, false).value as string);
}

function readUnsigned(bytes: string, what: string): number {
  if (bytes.length === 0 || bytes.length > 5 || (bytes.length === 5 && bytes.charCodeAt(0) !== 0)) throw new SnmpDecodeError(`${what}: not an unsigned 32-bit value`);
  let value = 0;
  for (const char of bytes) value = value * 256 + char.charCodeAt(0);
  return value;
}

function readValue(node: Node, what: string): SnmpValue {
  const content = node.value as string;
  if (node.tagClass === Class.UNIVERSAL && !node.constructed) {
    if (node.type === Type.NULL) return { type: 'null' };
    if (node.type === Type.INTEGER) return { type: 'integer', value: readInteger(node, what) };
    if (node.type === Type.OCTETSTRING) return { type: 'octet-string', bytes: bufferOf(content) };
    if (node.type === Type.OID) return { type: 'oid', oid: asn1.derToOid(content) };
  }
  if (node.tagClass === Class.APPLICATION && !node.constructed) {
    const unsigned = Object.entries(UNSIGNED_TAGS).find(([, tag]) => tag === node.type);
    if (unsigned) return { type: unsigned[0] as keyof typeof UNSIGNED_TAGS, value: readUnsigned(content, what) };
  }
  if (node.tagClass === Class.CONTEXT_SPECIFIC && !node.constructed) {
    const exception = Object.entries(EXCEPTION_TAGS).find(([, tag]) => tag === node.type);
    if (exception) return { type: exception[0] as keyof typeof EXCEPTION_TAGS };
  }
  const bytes = node.constructed ? Buffer.alloc(0) : bufferOf(content);
  return { type: 'other', tag: `class 0x${node.tagClass.toString(16)} tag ${node.type}`, bytes };
}

function readPdu(node: Node | undefined): SnmpPdu {
  if (!node || node.tagClass !== Class.CONTEXT_SPECIFIC || !node.constructed) throw new SnmpDecodeError('PDU: not a context-specific constructed element');
  const type = (Object.keys(PDU_TAGS) as SnmpPduType[]).find((t) => PDU_TAGS[t] === node.type);
  if (!type) throw new SnmpDecodeError(`PDU: unsupported PDU tag ${node.type}`);
  const [requestId, errorStatus, errorIndex, list] = node.value as Node[];
  const varbinds = children(list, 'varbind list').map((item, i) => {
    const [oid, value] = children(item, `varbind ${i}`, 2);
    return { oid: readOid(oid, `varbind ${i} name`), value: readValue(value!, `varbind ${i} value`) };
  });
  return {
    type,
    requestId: readInteger(requestId, 'request-id'),
    errorStatus: readInteger(errorStatus, 'error-status'),
    errorIndex: readInteger(errorIndex, 'error-index'),
    varbinds,
  };
}

/** node-forge's fromDer takes an options object that its type declarations leave out. */
const fromDer = asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: { strict: boolean; parseAllBytes: boolean }) => Node;

function parse(bytes: Buffer, what: string, parseAllBytes = true): Node {
  try {
    return fromDer(forge.util.createBuffer(bytesOf(bytes)), { strict: true, parseAllBytes });
  } catch (err) {
    throw new SnmpDecodeError(`${what}: not BER (${(err as Error).message})`);
  }
}

/** Decodes one datagram; throws SnmpDecodeError on anything that is not an SNMP message this module reads, or on an encrypted one. */
export function decodeSnmpMessage(datagram: Buffer): SnmpMessage {
  const message = decodeSnmpDatagram(datagram);
  if ('encryptedPdu' in message) throw new SnmpDecodeError('scoped PDU is encrypted');
  return message;
}

/** Decodes one datagram, an encrypted v3 message as far as its header; throws SnmpDecodeError on anything else it cannot read. */
export function decodeSnmpDatagram(datagram: Buffer): SnmpDatagram {
  const top = children(parse(datagram, 'message'), 'message');
  const versionNumber = readInteger(top[0], 'version');
  const version = (Object.keys(VERSION_NUMBERS) as SnmpVersion[]).find((v) => VERSION_NUMBERS[v] === versionNumber);
  if (!version) throw new SnmpDecodeError(`unknown SNMP version number ${versionNumber}`);
  if (version !== 'v3') {
    if (top.length !== 3) throw new SnmpDecodeError(`message: ${top.length} elements, expected 3`);
    return { version, community: readOctets(top[1], 'community').toString('utf8'), pdu: readPdu(top[2]) };
  }
  if (top.length !== 4) throw new SnmpDecodeError(`message: ${top.length} elements, expected 4`);
  const [messageId, maxSize, flags, securityModel] = children(top[1], 'msgGlobalData', 4);
  const flagBytes = readOctets(flags, 'msgFlags');
  if (flagBytes.length !== 1) throw new SnmpDecodeError('msgFlags: expected one octet');
  const [engineId, engineBoots, engineTime, userName, authParameters, privacyParameters] = children(
    parse(readOctets(top[2], 'msgSecurityParameters'), 'msgSecurityParameters'),
    'UsmSecurityParameters',
    6,
  );
  const usm: UsmParameters = {
    engineId: readOctets(engineId, 'msgAuthoritativeEngineID'),
    engineBoots: readInteger(engineBoots, 'msgAuthoritativeEngineBoots'),
    engineTime: readInteger(engineTime, 'msgAuthoritativeEngineTime'),
    userName: readOctets(userName, 'msgUserName').toString('utf8'),
  };
  const auth = readOctets(authParameters, 'msgAuthenticationParameters');
  const privacy = readOctets(privacyParameters, 'msgPrivacyParameters');
  if (auth.length) usm.authParameters = auth;
  if (privacy.length) usm.privacyParameters = privacy;
  const header: V3Header = {
    version,
    messageId: readInteger(messageId, 'msgID'),
    maxSize: readInteger(maxSize, 'msgMaxSize'),
    flags: flagBytes[0]!,
    securityModel: readInteger(securityModel, 'msgSecurityModel'),
    usm,
  };
  if (top[3]?.tagClass === Class.UNIVERSAL && top[3].type === Type.OCTETSTRING) return { ...header, encryptedPdu: readOctets(top[3], 'encryptedPDU') };
  return { ...header, ...scopedPduOf(top[3]) };
}

function scopedPduOf(node: Node | undefined): ScopedPdu {
  const [contextEngineId, contextName, pdu] = children(node, 'scoped PDU', 3);
  return {
    contextEngineId: readOctets(contextEngineId, 'contextEngineID'),
    contextName: readOctets(contextName, 'contextName').toString('utf8'),
    pdu: readPdu(pdu),
  };
}

/** A decrypted scoped PDU; bytes after it are ignored, since CBC-DES pads the plaintext (RFC 3414 §8.1.1.2). */
export function decodeScopedPdu(plaintext: Buffer): ScopedPdu {
  return scopedPduOf(parse(plaintext, 'decrypted scoped PDU', false));
}

const PRINTABLE = /^[\t\r\n\x20-\x7e]*$/;
const VALUE_EXCERPT = 200;

function describeValue(value: SnmpValue): string {
  switch (value.type) {
    case 'null':
      return 'NULL';
    case 'integer':
      return `INTEGER ${value.value}`;
    case 'octet-string': {
      const text = value.bytes.toString('latin1');
      const shown = PRINTABLE.test(text) ? JSON.stringify(text.slice(0, VALUE_EXCERPT)) : `hex:${value.bytes.subarray(0, VALUE_EXCERPT / 2).toString('hex')}`;
      return `OCTET STRING ${shown}${value.bytes.length > VALUE_EXCERPT ? '…' : ''}`;
    }
    case 'oid':
      return `OID ${value.oid}`;
    case 'counter32':
      return `Counter32 ${value.value}`;
    case 'gauge32':
      return `Gauge32 ${value.value}`;
    case 'timeticks':
      return `TimeTicks ${value.value}`;
    case 'other':
      return `${value.tag} hex:${value.bytes.toString('hex')}`;
    default:
      return value.type;
  }
}

/**
 * One line for a transcript. A community string is a password: the caller says how to show it (a
 * Secret's marker, or the value when it is a published default such as "public").
 */
export function describeSnmpMessage(message: SnmpMessage, shownCommunity: string): string {
  const { pdu } = message;
  const varbinds = pdu.varbinds.map((v) => `${v.oid} = ${describeValue(v.value)}`).join(', ') || '(none)';
  const body = `${PDU_NAMES[pdu.type]} request-id=${pdu.requestId} error-status=${pdu.errorStatus} error-index=${pdu.errorIndex} varbinds: ${varbinds}`;
  if (message.version !== 'v3') return `SNMP${message.version} community=${shownCommunity} ${body}`;
  const { usm } = message;
  return (
    `SNMPv3 msgID=${message.messageId} flags=0x${message.flags.toString(16).padStart(2, '0')} securityModel=${message.securityModel} ` +
    `engineID=${usm.engineId.toString('hex') || '(empty)'} engineBoots=${usm.engineBoots} engineTime=${usm.engineTime} user=${JSON.stringify(usm.userName)} ${body}`
  );
}
