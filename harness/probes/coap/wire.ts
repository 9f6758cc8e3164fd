import { randomBytes } from 'node:crypto';

/**
 * CoAP messages (RFC 7252 §3) as far as one GET over a DTLS association needs them: the DTLS-PSK
 * probe carries them itself as application data, so node-coap's socket handling does not apply.
 */

const VERSION = 1;
const TYPE = { confirmable: 0, nonConfirmable: 1, acknowledgement: 2, reset: 3 } as const;
const OPTION_URI_PATH = 11;
const OPTION_CONTENT_FORMAT = 12;
const PAYLOAD_MARKER = 0xff;

export interface CoapGet {
  bytes: Buffer;
  messageId: number;
  token: Buffer;
}

/** A confirmable GET of `path` with a fresh message ID and token. */
export function coapGet(path: string): CoapGet {
  const messageId = randomBytes(2).readUInt16BE();
  const token = randomBytes(4);
  const options: Buffer[] = [];
  let previous = 0;
  for (const segment of path.split('/').filter(Boolean)) {
    const value = Buffer.from(segment, 'utf8');
    // Uri-Path segments are short; deltas and lengths up to 12 fit the nibble, longer ones take a byte (13 + n).
    const delta = OPTION_URI_PATH - previous;
    previous = OPTION_URI_PATH;
    if (value.length < 13) options.push(Buffer.from([(delta << 4) | value.length]), value);
    else options.push(Buffer.from([(delta << 4) | 13, value.length - 13]), value);
  }
  const header = Buffer.from([(VERSION << 6) | (TYPE.confirmable << 4) | token.length, 0x01, messageId >> 8, messageId & 0xff]);
  return { bytes: Buffer.concat([header, token, ...options]), messageId, token };
}

export interface CoapMessage {
  type: keyof typeof TYPE;
  /** "2.05", or "0.00" for an empty message. */
  code: string;
  messageId: number;
  token: Buffer;
  contentFormat: number | null;
  payload: Buffer;
}

/** Parses a CoAP message; null when the bytes are not one. */
export function parseCoap(bytes: Buffer): CoapMessage | null {
  if (bytes.length < 4 || bytes[0]! >> 6 !== VERSION) return null;
  const typeCode = (bytes[0]! >> 4) & 0x3;
  const tokenLength = bytes[0]! & 0xf;
  if (tokenLength > 8 || bytes.length < 4 + tokenLength) return null;
  const code = `${bytes[1]! >> 5}.${String(bytes[1]! & 0x1f).padStart(2, '0')}`;
  let at = 4 + tokenLength;
  let option = 0;
  let contentFormat: number | null = null;
  while (at < bytes.length && bytes[at] !== PAYLOAD_MARKER) {
    const head = bytes[at++]!;
    const delta = extended(head >> 4);
    const length = extended(head & 0xf);
    if (delta === null || length === null || at + length > bytes.length) return null;
    option += delta;
    if (option === OPTION_CONTENT_FORMAT) contentFormat = length === 0 ? 0 : bytes.readUIntBE(at, Math.min(length, 4));
    at += length;
  }
  const payload = at < bytes.length ? bytes.subarray(at + 1) : Buffer.alloc(0);
  const type = (Object.keys(TYPE) as Array<keyof typeof TYPE>).find((k) => TYPE[k] === typeCode)!;
  return { type, code, messageId: bytes.readUInt16BE(2), token: bytes.subarray(4, 4 + tokenLength), contentFormat, payload };

  function extended(nibble: number): number | null {
    if (nibble < 13) return nibble;
    if (nibble === 13) return at < bytes.length ? 13 + bytes[at++]! : null;
    if (nibble === 14) {
      if (at + 2 > bytes.length) return null;
      const value = 269 + bytes.readUInt16BE(at);
      at += 2;
      return value;
    }
    return null;
  }
}
