import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/usage-error.js';
import { sha256 } from '../evidence/store.js';

export const PRIVATE_KEY_FILE = 'jcstar-signing.key';
export const PUBLIC_KEY_FILE = 'jcstar-signing.pub';

/** The key id: SHA-256 of the public key's SPKI DER, in hex; the DSSE signature's `keyid`. */
export function keyIdOf(publicKey: KeyObject): string {
  return sha256(publicKey.export({ type: 'spki', format: 'der' }));
}

/** Writes a new Ed25519 key pair into `dir`; never overwrites a key (a lost signing key cannot be got back). */
export function writeKeyPair(dir: string): { privatePath: string; publicPath: string; keyId: string } {
  const privatePath = join(dir, PRIVATE_KEY_FILE);
  const publicPath = join(dir, PUBLIC_KEY_FILE);
  const existing = [privatePath, publicPath].filter((p) => existsSync(p));
  if (existing.length > 0) throw new UsageError(`${existing.join(' and ')} already exist(s); jcstar never overwrites a key`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  try {
    mkdirSync(dir, { recursive: true });
    // 'wx' and the mode at creation: the private key is never readable by others, not even for a moment.
    writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
  } catch (err) {
    throw new UsageError(`cannot write the key pair into ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { privatePath, publicPath, keyId: keyIdOf(publicKey) };
}

function readKeyFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function requireEd25519(key: KeyObject, path: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${path} is a ${key.asymmetricKeyType} key; jcstar signs with Ed25519 (make one with jcstar keygen)`);
  return key;
}

export function loadPrivateKey(path: string): KeyObject {
  const pem = readKeyFile(path, 'signing key');
  try {
    return requireEd25519(createPrivateKey(pem), path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path} is not a PEM private key (make one with jcstar keygen)`);
  }
}

/** A public key; a private key file is accepted too, since its public half is in it. */
export function loadPublicKey(path: string): KeyObject {
  const pem = readKeyFile(path, 'public key');
  try {
    return requireEd25519(createPublicKey(pem), path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path} is not a PEM public key`);
  }
}
