import { constants, createHash, sign, verify, type KeyObject } from 'node:crypto';

/**
 * jcstar-image/1: jcstar's own signed image, which the simulated device's update client installs
 * (docs/update-images.md). Three text lines, then the payload:
 *   `JCSTAR-IMAGE/1\n`
 *   the manifest, one line of JSON `{"version","payloadSha256","payloadSize","signature"}` and `\n`
 *   the base64 signature over the manifest line's exact bytes (without its `\n`), and `\n`; empty when unsigned
 *   the payload bytes.
 */

export const JCSTAR_IMAGE_MAGIC = 'JCSTAR-IMAGE/1\n';
export const SIGNATURE_ALGORITHMS = ['ed25519', 'ecdsa-p256-sha256', 'rsa-pss-sha256'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** A manifest line longer than this is refused unread: the version and a hash need far less. */
export const MAX_MANIFEST_BYTES = 4096;
/** An RSA-4096 signature is 684 base64 characters; anything longer is not a signature. */
const MAX_SIGNATURE_LINE_BYTES = 2048;

export interface JcstarImageManifest {
  version: string;
  payloadSha256: string;
  payloadSize: number;
  /** Absent in an image written without a key. */
  signature?: SignatureAlgorithm;
}

export interface ParsedJcstarImage {
  manifest: JcstarImageManifest;
  /** The manifest line's exact bytes, as signed. */
  manifestLine: Buffer;
  /** null when the signature line is empty. */
  signature: Buffer | null;
  payload: Buffer;
  /** Byte offsets in the image, for variants that change one byte. */
  offsets: { manifest: number; signature: number; payload: number };
}

/** The signature algorithm a private or public key implies, or an error naming the key type. */
export function signatureAlgorithmOf(key: KeyObject): SignatureAlgorithm | { error: string } {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return 'ed25519';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === 'prime256v1' ? 'ecdsa-p256-sha256' : { error: `EC key on curve ${curve ?? 'unknown'}; jcstar-image uses P-256` };
  }
  if (type === 'rsa') return 'rsa-pss-sha256';
  return { error: `a ${type ?? 'symmetric'} key cannot sign a jcstar-image` };
}

function pssOptions(key: KeyObject, saltLength: number) {
  return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength };
}

/** Signs with the algorithm the key implies; ECDSA signatures are DER, RSA-PSS uses a 32-byte salt. */
export function signManifestLine(line: Buffer, privateKey: KeyObject): { algorithm: SignatureAlgorithm; signature: Buffer } {
  const algorithm = signatureAlgorithmOf(privateKey);
  if (typeof algorithm !== 'string') throw new Error(algorithm.error);
  if (algorithm === 'ed25519') return { algorithm, signature: sign(null, line, privateKey) };
  if (algorithm === 'ecdsa-p256-sha256') return { algorithm, signature: sign('sha256', line, privateKey) };
  return { algorithm, signature: sign('sha256', line, pssOptions(privateKey, constants.RSA_PSS_SALTLEN_DIGEST)) };
}

export function manifestLineOf(manifest: JcstarImageManifest): Buffer {
  const ordered: JcstarImageManifest = {
    version: manifest.version,
    payloadSha256: manifest.payloadSha256,
    payloadSize: manifest.payloadSize,
    ...(manifest.signature ? { signature: manifest.signature } : {}),
  };
  return Buffer.from(JSON.stringify(ordered), 'utf8');
}

/** Assembles an image from a manifest line and an optional signature, as they are (variants reuse this). */
export function assembleJcstarImage(manifestLine: Buffer, signature: Buffer | null, payload: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(JCSTAR_IMAGE_MAGIC, 'latin1'),
    manifestLine,
    Buffer.from('\n'),
    Buffer.from(signature ? signature.toString('base64') : '', 'latin1'),
    Buffer.from('\n'),
    payload,
  ]);
}

export function writeJcstarImage(options: { version: string; payload: Buffer; privateKey: KeyObject | null }): Buffer {
  const { version, payload, privateKey } = options;
  if (version.length === 0 || /[\r\n]/.test(version)) throw new Error('a jcstar-image version is one non-empty line');
  const algorithm = privateKey ? signatureAlgorithmOf(privateKey) : undefined;
  if (algorithm !== undefined && typeof algorithm !== 'string') throw new Error(algorithm.error);
  const manifestLine = manifestLineOf({
    version,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
    payloadSize: payload.length,
    ...(algorithm ? { signature: algorithm } : {}),
  });
  const signature = privateKey ? signManifestLine(manifestLine, privateKey).signature : null;
  return assembleJcstarImage(manifestLine, signature, payload);
}

function manifestFrom(line: Buffer): JcstarImageManifest | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return { error: 'the manifest line is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'the manifest is not a JSON object' };
  const m = value as Record<string, unknown>;
  if (typeof m.version !== 'string' || m.version.length === 0) return { error: 'the manifest has no version string' };
  if (typeof m.payloadSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.payloadSha256)) return { error: 'the manifest payloadSha256 is not 64 lowercase hex digits' };
  if (typeof m.payloadSize !== 'number' || !Number.isSafeInteger(m.payloadSize) || m.payloadSize < 0) return { error: 'the manifest payloadSize is not a non-negative integer' };
  if (m.signature !== undefined && !SIGNATURE_ALGORITHMS.includes(m.signature as SignatureAlgorithm)) {
    return { error: `the manifest names an unknown signature algorithm ${JSON.stringify(String(m.signature)).slice(0, 40)}` };
  }
  return {
    version: m.version,
    payloadSha256: m.payloadSha256,
    payloadSize: m.payloadSize,
    ...(m.signature !== undefined ? { signature: m.signature as SignatureAlgorithm } : {}),
  };
}

/** Reads an image without trusting it: bounded lines, never throws; the payload is a view, not a copy. */
export function parseJcstarImage(bytes: Buffer): ParsedJcstarImage | { error: string } {
  const magic = Buffer.from(JCSTAR_IMAGE_MAGIC, 'latin1');
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) return { error: 'not a jcstar-image (no JCSTAR-IMAGE/1 line)' };
  const manifestStart = magic.length;
  const manifestEnd = bytes.subarray(manifestStart, manifestStart + MAX_MANIFEST_BYTES + 1).indexOf(0x0a);
  if (manifestEnd < 0) {
    return { error: bytes.length - manifestStart > MAX_MANIFEST_BYTES ? `the manifest line is longer than ${MAX_MANIFEST_BYTES} bytes` : 'the image ends inside the manifest line' };
  }
  const manifestLine = bytes.subarray(manifestStart, manifestStart + manifestEnd);
  const manifest = manifestFrom(manifestLine);
  if ('error' in manifest) return manifest;
  const signatureStart = manifestStart + manifestEnd + 1;
  const signatureEnd = bytes.subarray(signatureStart, signatureStart + MAX_SIGNATURE_LINE_BYTES + 1).indexOf(0x0a);
  if (signatureEnd < 0) {
    return { error: bytes.length - signatureStart > MAX_SIGNATURE_LINE_BYTES ? `the signature line is longer than ${MAX_SIGNATURE_LINE_BYTES} bytes` : 'the image ends inside the signature line' };
  }
  const signatureText = bytes.subarray(signatureStart, signatureStart + signatureEnd).toString('latin1');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(signatureText) || signatureText.length % 4 !== 0) return { error: 'the signature line is not base64' };
  const payloadStart = signatureStart + signatureEnd + 1;
  return {
    manifest,
    manifestLine,
    signature: signatureText.length > 0 ? Buffer.from(signatureText, 'base64') : null,
    payload: bytes.subarray(payloadStart),
    offsets: { manifest: manifestStart, signature: signatureStart, payload: payloadStart },
  };
}

function signatureVerifies(algorithm: SignatureAlgorithm, line: Buffer, signature: Buffer, publicKey: KeyObject): boolean {
  try {
    if (algorithm === 'ed25519') return verify(null, line, publicKey, signature);
    if (algorithm === 'ecdsa-p256-sha256') return verify('sha256', line, publicKey, signature);
    return verify('sha256', line, pssOptions(publicKey, constants.RSA_PSS_SALTLEN_DIGEST), signature);
  } catch {
    return false;
  }
}

/** The signature over the manifest line with the vendor key, then the payload's size and SHA-256. */
export function verifyJcstarImage(parsed: ParsedJcstarImage, publicKey: KeyObject): { ok: true } | { ok: false; reason: string } {
  if (parsed.signature === null) return { ok: false, reason: 'unsigned: the signature line is empty' };
  const keyAlgorithm = signatureAlgorithmOf(publicKey);
  if (typeof keyAlgorithm !== 'string') return { ok: false, reason: keyAlgorithm.error };
  if (parsed.manifest.signature !== keyAlgorithm) {
    return { ok: false, reason: `the manifest names signature ${parsed.manifest.signature ?? '(none)'} but the vendor key is ${keyAlgorithm}` };
  }
  if (!signatureVerifies(keyAlgorithm, parsed.manifestLine, parsed.signature, publicKey)) {
    return { ok: false, reason: `the ${keyAlgorithm} signature over the manifest does not verify with the vendor key` };
  }
  if (parsed.payload.length !== parsed.manifest.payloadSize) {
    return { ok: false, reason: `the payload is ${parsed.payload.length} bytes, the signed manifest says ${parsed.manifest.payloadSize}` };
  }
  const sha256 = createHash('sha256').update(parsed.payload).digest('hex');
  if (sha256 !== parsed.manifest.payloadSha256) {
    return { ok: false, reason: `the payload SHA-256 ${sha256} differs from the signed manifest's ${parsed.manifest.payloadSha256}` };
  }
  return { ok: true };
}
