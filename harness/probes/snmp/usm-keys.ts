import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Snmpv3User } from '../../profile/types.js';

type AuthProtocol = Snmpv3User['authProtocol'];

/**
 * The USM authentication protocols: HMAC-MD5-96 and HMAC-SHA-96 (RFC 3414 §6, §7) and the HMAC-SHA-2
 * family (RFC 7860 §4.2), each with the hash that localises its keys and the length its tag is cut to.
 */
export const AUTH_PROTOCOLS: Record<AuthProtocol, { hash: string; tagLength: number; name: string }> = {
  md5: { hash: 'md5', tagLength: 12, name: 'HMAC-MD5-96' },
  sha: { hash: 'sha1', tagLength: 12, name: 'HMAC-SHA-96' },
  sha224: { hash: 'sha224', tagLength: 16, name: 'HMAC-SHA-224-128' },
  sha256: { hash: 'sha256', tagLength: 24, name: 'HMAC-SHA-256-192' },
  sha384: { hash: 'sha384', tagLength: 32, name: 'HMAC-SHA-384-256' },
  sha512: { hash: 'sha512', tagLength: 48, name: 'HMAC-SHA-512-384' },
};

/** RFC 3414 A.2: the passphrase, repeated, is hashed over one megabyte. */
const EXPANDED_LENGTH = 1048576;

/** The user's key Ku from a passphrase (RFC 3414 A.2.1/A.2.2; RFC 7860 §9.3 for SHA-2). */
export function passwordToKey(passphrase: string, protocol: AuthProtocol): Buffer {
  const password = Buffer.from(passphrase, 'utf8');
  if (password.length === 0) throw new Error('an SNMPv3 passphrase cannot be empty');
  const hash = createHash(AUTH_PROTOCOLS[protocol].hash);
  const chunk = Buffer.alloc(64 * 1024);
  let offset = 0;
  for (let done = 0; done < EXPANDED_LENGTH; done += chunk.length) {
    for (let i = 0; i < chunk.length; i++) chunk[i] = password[(offset + i) % password.length]!;
    hash.update(chunk);
    offset = (offset + chunk.length) % password.length;
  }
  return hash.digest();
}

/** The key localised to one engine: Kul = H(Ku || engineID || Ku) (RFC 3414 §2.6). */
export function localizeKey(key: Buffer, engineId: Buffer, protocol: AuthProtocol): Buffer {
  return createHash(AUTH_PROTOCOLS[protocol].hash).update(Buffer.concat([key, engineId, key])).digest();
}

/** The truncated HMAC tag of a whole message whose msgAuthenticationParameters are zero-filled. */
export function authenticationTag(message: Buffer, localizedKey: Buffer, protocol: AuthProtocol): Buffer {
  const { hash, tagLength } = AUTH_PROTOCOLS[protocol];
  return createHmac(hash, localizedKey).update(message).digest().subarray(0, tagLength);
}

/**
 * Verifies an incoming message's tag: the datagram with its tag zeroed in place must hash to the tag.
 * The tag is found as its own OCTET STRING (tag 0x04, its length, its bytes); a device that repeats
 * those bytes earlier only makes its own message fail to verify.
 */
export function verifyAuthentication(datagram: Buffer, tag: Buffer, localizedKey: Buffer, protocol: AuthProtocol): boolean {
  if (tag.length !== AUTH_PROTOCOLS[protocol].tagLength) return false;
  const encoded = Buffer.concat([Buffer.from([0x04, tag.length]), tag]);
  const at = datagram.indexOf(encoded);
  if (at < 0) return false;
  const zeroed = Buffer.from(datagram);
  zeroed.fill(0, at + 2, at + 2 + tag.length);
  return timingSafeEqual(authenticationTag(zeroed, localizedKey, protocol), tag);
}
