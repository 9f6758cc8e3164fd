import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ImageFormat } from '../profile/update-schema.js';
import { makeSigningIdentity, signCms } from './formats/cms.js';
import {
  assembleJcstarImage,
  parseJcstarImage,
  signManifestLine,
  signatureAlgorithmOf,
  type ParsedJcstarImage,
  type SignatureAlgorithm,
} from './formats/jcstar-image.js';
import { patchCpioEntry, writeCpio } from './formats/swu-cpio.js';
import { SW_DESCRIPTION, SW_DESCRIPTION_SIG, parseSwu, type SwuImage } from './formats/swu.js';
import type { ImageVariant, UpdateAttempt } from './types.js';

/**
 * The tampered images of the hands-on S1.1-08 attempts, each made from the genuine image by the smallest
 * change that a device must refuse. Descriptions name bytes and offsets, never key material.
 */

type ServedAsIs = 'genuine' | 'rollback' | 'untrusted-certificate' | 'plain-http' | 'cut-download';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const hexByte = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

function variant(attempt: UpdateAttempt, format: ImageFormat, bytes: Buffer, version: string, description: string): ImageVariant {
  return { attempt, format, bytes, sha256: sha256(bytes), version, description };
}

/**
 * The byte of a version string to change so that it still parses and states a newer version (anti-rollback
 * must not be what refuses it): the last digit below 9 moved up by one, or else the last letter moved on.
 */
function versionChange(version: string): { index: number; from: string; to: string } {
  for (let i = version.length - 1; i >= 0; i -= 1) {
    const c = version[i];
    if (c >= '0' && c <= '8') return { index: i, from: c, to: String(Number(c) + 1) };
  }
  for (let i = version.length - 1; i >= 0; i -= 1) {
    const c = version[i];
    if (/[a-y]/i.test(c)) return { index: i, from: c, to: String.fromCharCode(c.charCodeAt(0) + 1) };
  }
  throw new Error(`the version ${JSON.stringify(version)} has no digit or letter to change`);
}

const withChange = (version: string, change: { index: number; to: string }): string =>
  version.slice(0, change.index) + change.to + version.slice(change.index + 1);

function jcstarVariants(genuine: Buffer, image: ParsedJcstarImage, vendorKey: KeyObject | null): ImageVariant[] {
  const { manifest, manifestLine, payload, offsets } = image;
  if (payload.length === 0) throw new Error('the genuine image has no payload to flip a byte in');
  const format = 'jcstar-image';

  const payloadIndex = Math.floor(payload.length / 2);
  const flippedAt = offsets.payload + payloadIndex;
  const flipped = Buffer.from(genuine);
  flipped[flippedAt] ^= 0xff;

  const versionMatch = /"version"\s*:\s*"/.exec(manifestLine.toString('latin1'));
  if (!versionMatch) throw new Error('the manifest line has no "version" value');
  const change = versionChange(manifest.version);
  const changedAt = offsets.manifest + versionMatch.index + versionMatch[0].length + Buffer.byteLength(manifest.version.slice(0, change.index), 'utf8');
  const changed = Buffer.from(genuine);
  changed[changedAt] = change.to.charCodeAt(0);

  const algorithm: SignatureAlgorithm | undefined = vendorKey
    ? (() => {
        const a = signatureAlgorithmOf(vendorKey);
        return typeof a === 'string' ? a : undefined;
      })()
    : manifest.signature;
  const madeUp = madeUpKey(algorithm ?? 'ed25519');
  const reSigned = assembleJcstarImage(manifestLine, signManifestLine(manifestLine, madeUp).signature, payload);

  return [
    variant('payload-byte-flipped', format, flipped, manifest.version,
      `payload byte ${payloadIndex} of ${payload.length} (image offset ${flippedAt}) flipped ${hexByte(genuine[flippedAt])} -> ${hexByte(flipped[flippedAt])}; signature and manifest as genuine`),
    variant('metadata-byte-changed', format, changed, withChange(manifest.version, change),
      `signed manifest byte at image offset ${changedAt} changed '${change.from}' -> '${change.to}' (version ${manifest.version} -> ${withChange(manifest.version, change)}); signature as genuine`),
    variant('wrong-key', format, reSigned, manifest.version,
      `manifest re-signed with a ${algorithm ?? 'ed25519'} key jcstar made up for this run; manifest and payload as genuine`),
    variant('unsigned', format, assembleJcstarImage(manifestLine, null, payload), manifest.version,
      'signature line emptied; manifest and payload as genuine'),
  ];
}

function madeUpKey(algorithm: SignatureAlgorithm): KeyObject {
  if (algorithm === 'ed25519') return generateKeyPairSync('ed25519').privateKey;
  if (algorithm === 'ecdsa-p256-sha256') return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

function swuVariants(genuine: Buffer, image: SwuImage): ImageVariant[] {
  const format = 'swu';
  const target = image.files[0];
  if (!target || target.data.length === 0) throw new Error('the genuine image has no image file to flip a byte in');
  if (!image.version) throw new Error('the genuine sw-description states no software version');
  const version = image.version.value;
  const crcNote = image.format === 'crc' ? '; cpio crc recomputed' : '';

  const payloadIndex = Math.floor(target.data.length / 2);
  const flipped = patchCpioEntry(genuine, image.format, target, [{ offsetInData: payloadIndex, value: target.data[payloadIndex] ^ 0xff }]);
  const flippedAt = target.dataOffset! + payloadIndex;

  const change = versionChange(version);
  const changedAt = image.version.archiveOffset + Buffer.byteLength(version.slice(0, change.index), 'utf8');
  const changed = patchCpioEntry(genuine, image.format, image.swDescription, [
    { offsetInData: changedAt - image.swDescription.dataOffset!, value: change.to.charCodeAt(0) },
  ]);

  const identity = makeSigningIdentity('jcstar made-up');
  const madeUpSignature = signCms(image.swDescription.data, { certificatePem: identity.signerCertificatePem, keyPem: identity.signerKeyPem });
  const rest = image.files.map(({ name, data }) => ({ name, data }));
  const reSigned = writeCpio({
    format: image.format,
    entries: [{ name: SW_DESCRIPTION, data: image.swDescription.data }, { name: SW_DESCRIPTION_SIG, data: madeUpSignature }, ...rest],
  });
  const unsigned = writeCpio({ format: image.format, entries: [{ name: SW_DESCRIPTION, data: image.swDescription.data }, ...rest] });

  return [
    variant('payload-byte-flipped', format, flipped, version,
      `${target.name} byte ${payloadIndex} of ${target.data.length} (archive offset ${flippedAt}) flipped ${hexByte(target.data[payloadIndex])} -> ${hexByte(flipped[flippedAt])}${crcNote}; sw-description and signature as genuine`),
    variant('metadata-byte-changed', format, changed, withChange(version, change),
      `sw-description byte at archive offset ${changedAt} changed '${change.from}' -> '${change.to}' (version ${version} -> ${withChange(version, change)})${crcNote}; sw-description.sig as genuine`),
    variant('wrong-key', format, reSigned, version,
      `sw-description.sig replaced by a CMS signature of ${identity.signerSubject} under a CA jcstar made up for this run; sw-description and files as genuine`),
    variant('unsigned', format, unsigned, version,
      `sw-description.sig entry removed${image.signature ? '' : ' (the genuine image had none)'}; sw-description and files as genuine`),
  ];
}

/**
 * The four tampered images for the genuine one: payload-byte-flipped, metadata-byte-changed, wrong-key,
 * unsigned. signingKeyPem is the vendor's public key (jcstar-image; the made-up key takes its algorithm) or
 * CA certificate (swu). Each variant's version is the one its metadata states, read from the image:
 * genuineVersion is what the device reports, which may be spelled differently. Throws when the genuine
 * image does not parse: verifyImage it first.
 */
export function makeAttackVariants(options: { format: ImageFormat; genuine: Buffer; genuineVersion: string; signingKeyPem: string }): ImageVariant[] {
  const { format, genuine } = options;
  if (format === 'swu') {
    const image = parseSwu(genuine);
    if ('error' in image) throw new Error(`the genuine image is not a valid swu: ${image.error}`);
    return swuVariants(genuine, image);
  }
  const image = parseJcstarImage(genuine);
  if ('error' in image) throw new Error(`the genuine image is not a valid jcstar-image: ${image.error}`);
  return jcstarVariants(genuine, image, vendorPublicKey(options.signingKeyPem));
}

function vendorPublicKey(pem: string): KeyObject | null {
  try {
    return createPublicKey(pem);
  } catch {
    return null;
  }
}

const AS_IS: Record<ServedAsIs, (size: number, version: string) => string> = {
  genuine: (size, version) => `the genuine image as given (${size} bytes, version ${version})`,
  rollback: (size, version) => `the older genuinely signed image as given (${size} bytes, version ${version})`,
  'untrusted-certificate': (size) => `the genuine image (${size} bytes), served with a TLS certificate jcstar made up`,
  'plain-http': (size) => `the genuine image (${size} bytes), served over plain HTTP`,
  'cut-download': (size) => `the genuine image (${size} bytes), the connection reset after ${Math.floor(size / 2)} bytes`,
};

/** An image served unchanged; the attempt lies in how it is served (ServeMode) or which image it is. */
export function imageVariant(attempt: ServedAsIs, format: ImageFormat, bytes: Buffer, version: string): ImageVariant {
  return variant(attempt, format, bytes, version, AS_IS[attempt](bytes.length, version));
}
