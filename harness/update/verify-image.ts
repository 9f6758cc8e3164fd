import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ImageFormat } from '../profile/update-schema.js';
import { verifyCms } from './formats/cms.js';
import { parseJcstarImage, verifyJcstarImage } from './formats/jcstar-image.js';
import { swDescriptionFiles } from './formats/sw-description.js';
import { parseSwu } from './formats/swu.js';

/**
 * Whether an image is genuine under the vendor's key, as a careful device would decide: used on the
 * profile's genuine image before jcstar serves it, and on a published image without hands-on (S1.1-08).
 */

export type ImageVerdict = { ok: true; version: string; signer: string } | { ok: false; reason: string; version?: string };

function publicKeyFingerprint(key: KeyObject): string {
  const spki = key.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`;
}

function verifyJcstar(bytes: Buffer, pem: string): ImageVerdict {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return { ok: false, reason: 'the signing key file holds no PEM public key' };
  }
  const parsed = parseJcstarImage(bytes);
  if ('error' in parsed) return { ok: false, reason: parsed.error };
  const verdict = verifyJcstarImage(parsed, key);
  const version = parsed.manifest.version;
  if (!verdict.ok) return { ok: false, reason: verdict.reason, version };
  return { ok: true, version, signer: `${parsed.manifest.signature} public key ${publicKeyFingerprint(key)}` };
}

/** The CMS signature over sw-description first (as swupdate), then every listed file against its sha256. */
function verifySwu(bytes: Buffer, caPem: string): ImageVerdict {
  const image = parseSwu(bytes);
  if ('error' in image) return { ok: false, reason: image.error };
  const version = image.version?.value;
  const withVersion = (reason: string): ImageVerdict => (version !== undefined ? { ok: false, reason, version } : { ok: false, reason });
  if (!image.signature) return withVersion('unsigned: the archive has no sw-description.sig');
  const signature = verifyCms(image.signature.data, image.swDescription.data, caPem);
  if (!signature.ok) return withVersion(signature.reason);
  if (version === undefined) return { ok: false, reason: 'sw-description states no software version' };
  const listed = swDescriptionFiles(image.swDescription.data.toString('utf8'));
  if (listed.length === 0) return withVersion('sw-description lists no image file');
  for (const file of listed) {
    if (!file.sha256) return withVersion(`sw-description gives no sha256 for ${file.filename}`);
    const entry = image.files.find((f) => f.name === file.filename);
    if (!entry) return withVersion(`the archive lacks ${file.filename}, which sw-description lists`);
    const actual = createHash('sha256').update(entry.data).digest('hex');
    if (actual !== file.sha256.toLowerCase()) return withVersion(`${file.filename}'s SHA-256 ${actual} differs from sw-description's ${file.sha256}`);
  }
  return { ok: true, version, signer: signature.signer };
}

/** Verifies with the key PEM as text: a public key for jcstar-image, the CA certificate for swu. */
export function verifyImageWithPem(format: ImageFormat, bytes: Buffer, signingKeyPem: string): ImageVerdict {
  return format === 'swu' ? verifySwu(bytes, signingKeyPem) : verifyJcstar(bytes, signingKeyPem);
}

export function verifyImage(format: ImageFormat, bytes: Buffer, signingKeyPemPath: string): ImageVerdict {
  let pem: string;
  try {
    pem = readFileSync(signingKeyPemPath, 'utf8');
  } catch (error) {
    return { ok: false, reason: `cannot read the signing key file: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  return verifyImageWithPem(format, bytes, pem);
}
