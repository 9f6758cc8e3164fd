import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';

/**
 * The key schedule and record protection of a DTLS 1.2 PSK handshake (RFC 4279, RFC 5246 §5 and §6.3,
 * RFC 7627 for the extended master secret) for the AEAD suites constrained devices use: AES-128 in CCM
 * (RFC 6655, libcoap's default is CCM_8) or GCM (RFC 5487). Every one of them takes SHA-256 for its PRF.
 */

export interface PskSuite {
  code: number;
  name: string;
  cipher: 'aes-128-ccm' | 'aes-128-gcm';
  tagLength: 8 | 16;
}

/** Offered in this order: libcoap's default first. */
export const PSK_SUITES: readonly PskSuite[] = [
  { code: 0xc0a8, name: 'TLS_PSK_WITH_AES_128_CCM_8', cipher: 'aes-128-ccm', tagLength: 8 },
  { code: 0xc0a4, name: 'TLS_PSK_WITH_AES_128_CCM', cipher: 'aes-128-ccm', tagLength: 16 },
  { code: 0x00a8, name: 'TLS_PSK_WITH_AES_128_GCM_SHA256', cipher: 'aes-128-gcm', tagLength: 16 },
];

const KEY_BYTES = 16;
const FIXED_IV_BYTES = 4;
const EXPLICIT_NONCE_BYTES = 8;
const VERIFY_DATA_BYTES = 12;

/** TLS 1.2 PRF with HMAC-SHA256 (RFC 5246 §5): P_SHA256(secret, label + seed) cut to `length` bytes. */
export function prf(secret: Buffer, label: string, seed: Buffer, length: number): Buffer {
  const labelled = Buffer.concat([Buffer.from(label, 'ascii'), seed]);
  const out: Buffer[] = [];
  let a = labelled;
  let produced = 0;
  while (produced < length) {
    a = createHmac('sha256', secret).update(a).digest();
    const block = createHmac('sha256', secret).update(a).update(labelled).digest();
    out.push(block);
    produced += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** RFC 4279 §2: the premaster secret of plain PSK is N zero bytes and the N-byte key, each with its length. */
export function pskPremaster(key: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(key.length);
  return Buffer.concat([length, Buffer.alloc(key.length), length, key]);
}

export interface MasterSecretInput {
  premaster: Buffer;
  clientRandom: Buffer;
  serverRandom: Buffer;
  /** RFC 7627: when the server echoed extended_master_secret, the hash of the handshake through ClientKeyExchange. */
  sessionHash: Buffer | null;
}

export function masterSecret(input: MasterSecretInput): Buffer {
  if (input.sessionHash) return prf(input.premaster, 'extended master secret', input.sessionHash, 48);
  return prf(input.premaster, 'master secret', Buffer.concat([input.clientRandom, input.serverRandom]), 48);
}

export function transcriptHash(messages: readonly Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const m of messages) hash.update(m);
  return hash.digest();
}

export function verifyData(master: Buffer, sender: 'client' | 'server', handshakeHash: Buffer): Buffer {
  return prf(master, `${sender} finished`, handshakeHash, VERIFY_DATA_BYTES);
}

/** One direction's AEAD key and implicit nonce part. */
export interface DirectionKeys {
  key: Buffer;
  fixedIv: Buffer;
}

/** RFC 5246 §6.3 for AEAD suites: no MAC keys, then the write keys, then the fixed IVs. */
export function keyBlock(master: Buffer, clientRandom: Buffer, serverRandom: Buffer): { client: DirectionKeys; server: DirectionKeys } {
  const block = prf(master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), 2 * KEY_BYTES + 2 * FIXED_IV_BYTES);
  const at = (offset: number, length: number) => block.subarray(offset, offset + length);
  return {
    client: { key: at(0, KEY_BYTES), fixedIv: at(2 * KEY_BYTES, FIXED_IV_BYTES) },
    server: { key: at(KEY_BYTES, KEY_BYTES), fixedIv: at(2 * KEY_BYTES + FIXED_IV_BYTES, FIXED_IV_BYTES) },
  };
}

/** Where a record sits: the AEAD's additional data and explicit nonce both bind epoch and sequence (RFC 6347 §4.1.2.1). */
export interface RecordPosition {
  type: number;
  versionCode: number;
  epoch: number;
  sequence: number;
}

function epochAndSequence(position: RecordPosition): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt16BE(position.epoch, 0);
  bytes.writeUIntBE(position.sequence, 2, 6);
  return bytes;
}

function additionalData(position: RecordPosition, plaintextLength: number): Buffer {
  const tail = Buffer.alloc(5);
  tail[0] = position.type;
  tail.writeUInt16BE(position.versionCode, 1);
  tail.writeUInt16BE(plaintextLength, 3);
  return Buffer.concat([epochAndSequence(position), tail]);
}

/** The fragment of a protected record: the explicit nonce (epoch and sequence), the ciphertext and the tag. */
export function seal(suite: PskSuite, keys: DirectionKeys, position: RecordPosition, plaintext: Buffer): Buffer {
  const explicit = epochAndSequence(position);
  const nonce = Buffer.concat([keys.fixedIv, explicit]);
  const cipher = suite.cipher === 'aes-128-ccm'
    ? createCipheriv(suite.cipher, keys.key, nonce, { authTagLength: suite.tagLength })
    : createCipheriv(suite.cipher, keys.key, nonce, { authTagLength: suite.tagLength });
  cipher.setAAD(additionalData(position, plaintext.length), { plaintextLength: plaintext.length });
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([explicit, body, cipher.getAuthTag()]);
}

/** The plaintext of a protected fragment, or null when it does not authenticate (wrong key, forged or damaged). */
export function open(suite: PskSuite, keys: DirectionKeys, position: RecordPosition, fragment: Buffer): Buffer | null {
  const length = fragment.length - EXPLICIT_NONCE_BYTES - suite.tagLength;
  if (length < 0) return null;
  const nonce = Buffer.concat([keys.fixedIv, fragment.subarray(0, EXPLICIT_NONCE_BYTES)]);
  try {
    const decipher = suite.cipher === 'aes-128-ccm'
      ? createDecipheriv(suite.cipher, keys.key, nonce, { authTagLength: suite.tagLength })
      : createDecipheriv(suite.cipher, keys.key, nonce, { authTagLength: suite.tagLength });
    decipher.setAuthTag(fragment.subarray(fragment.length - suite.tagLength));
    decipher.setAAD(additionalData(position, length), { plaintextLength: length });
    const ciphertext = fragment.subarray(EXPLICIT_NONCE_BYTES, EXPLICIT_NONCE_BYTES + length);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}
