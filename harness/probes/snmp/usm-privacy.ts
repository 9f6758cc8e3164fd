import { createCipheriv, createDecipheriv } from 'node:crypto';
import forge from 'node-forge';
import type { Snmpv3User } from '../../profile/types.js';

type PrivProtocol = NonNullable<Snmpv3User['privacy']>['protocol'];

export const PRIV_PROTOCOL_NAMES: Record<PrivProtocol, string> = { des: 'CBC-DES', aes: 'CFB128-AES-128' };

/** The engine's clock as the message carries it: AES builds its IV from it (RFC 3826 §3.1.2.1). */
export interface EngineClock {
  engineBoots: number;
  engineTime: number;
}

const SALT_LENGTH = 8;
const DES_BLOCK = 8;

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

function aesIv(clock: EngineClock, salt: Buffer): Buffer {
  return Buffer.concat([uint32(clock.engineBoots), uint32(clock.engineTime), salt]);
}

/** CBC-DES's IV: the pre-IV (second half of the 16-byte localised key) XOR the salt (RFC 3414 §8.1.1.1). */
function desIv(localizedKey: Buffer, salt: Buffer): Buffer {
  const preIv = localizedKey.subarray(8, 16);
  return Buffer.from(preIv.map((b, i) => b ^ salt[i]!));
}

/** Node's OpenSSL 3 keeps single DES in its legacy provider, so DES runs on node-forge. */
function des(encrypt: boolean, key: Buffer, iv: Buffer, input: Buffer): Buffer {
  const cipher = (encrypt ? forge.cipher.createCipher : forge.cipher.createDecipher)('DES-CBC', forge.util.createBuffer(key.toString('binary')));
  cipher.start({ iv: forge.util.createBuffer(iv.toString('binary')) });
  cipher.update(forge.util.createBuffer(input.toString('binary')));
  // The blocks are already whole: USM pads with anything, and the receiver ignores what follows the PDU.
  // node-forge takes a padding function that adds and strips nothing; its type declarations leave the argument out.
  (cipher.finish as (pad: () => boolean) => boolean)(() => true);
  return Buffer.from(cipher.output.getBytes(), 'binary');
}

/**
 * Encrypts a scoped PDU. `salt` is the 8 octets that go out as msgPrivacyParameters: for DES the engine's
 * boots and a local counter (RFC 3414 §8.1.1.1), for AES a local 64-bit integer (RFC 3826 §3.1.2.1).
 */
export function encryptScopedPdu(protocol: PrivProtocol, localizedKey: Buffer, clock: EngineClock, salt: Buffer, plaintext: Buffer): Buffer {
  if (protocol === 'aes') {
    const cipher = createCipheriv('aes-128-cfb', localizedKey.subarray(0, 16), aesIv(clock, salt));
    return Buffer.concat([cipher.update(plaintext), cipher.final()]);
  }
  const padded = Buffer.alloc(Math.ceil(plaintext.length / DES_BLOCK) * DES_BLOCK);
  plaintext.copy(padded);
  return des(true, localizedKey.subarray(0, 8), desIv(localizedKey, salt), padded);
}

/** Decrypts an incoming scoped PDU, or says why it cannot be (a decryption error is a fact about the reply). */
export function decryptScopedPdu(protocol: PrivProtocol, localizedKey: Buffer, clock: EngineClock, salt: Buffer | undefined, ciphertext: Buffer): Buffer | { error: string } {
  if (!salt || salt.length !== SALT_LENGTH) return { error: `msgPrivacyParameters of ${salt?.length ?? 0} octets, expected ${SALT_LENGTH}` };
  if (protocol === 'aes') {
    const decipher = createDecipheriv('aes-128-cfb', localizedKey.subarray(0, 16), aesIv(clock, salt));
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  }
  if (ciphertext.length === 0 || ciphertext.length % DES_BLOCK !== 0) return { error: `encrypted PDU of ${ciphertext.length} octets, not a whole number of DES blocks` };
  return des(false, localizedKey.subarray(0, 8), desIv(localizedKey, salt), ciphertext);
}

/** The salt for DES: the agent's engineBoots, then a local 32-bit counter (RFC 3414 §8.1.1.1). */
export function desSalt(engineBoots: number, counter: number): Buffer {
  return Buffer.concat([uint32(engineBoots), uint32(counter)]);
}
