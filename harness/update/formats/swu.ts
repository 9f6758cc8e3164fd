import { createHash } from 'node:crypto';
import { signCms } from './cms.js';
import { parseCpio, writeCpio, type CpioEntry, type CpioFormat } from './swu-cpio.js';
import { MAX_SW_DESCRIPTION_BYTES, swDescriptionVersion } from './sw-description.js';

/**
 * An SWUpdate image (.swu): a CPIO archive with `sw-description` first, `sw-description.sig` (CMS, DER)
 * second when signed, then the image files. docs/update-images.md says what Debian's swupdate requires.
 */

export const SW_DESCRIPTION = 'sw-description';
export const SW_DESCRIPTION_SIG = 'sw-description.sig';

export interface SwuImage {
  format: CpioFormat;
  swDescription: CpioEntry;
  /** null: the archive has no sw-description.sig entry. */
  signature: CpioEntry | null;
  files: CpioEntry[];
  /** The software-level version sw-description states, with the byte offset of its value in the archive. */
  version: { value: string; archiveOffset: number } | null;
}

export interface SwuFile {
  name: string;
  data: Buffer;
  /** Where swupdate writes the file (a `files` entry's `path`). */
  path: string;
}

/** Reads an .swu without trusting it (cpio bounds, sw-description size); never throws. */
export function parseSwu(bytes: Buffer): SwuImage | { error: string } {
  const archive = parseCpio(bytes);
  if ('error' in archive) return archive;
  const [first, second, ...rest] = archive.entries;
  if (!first || first.name !== SW_DESCRIPTION) return { error: `the first archive entry is ${first ? JSON.stringify(first.name.slice(0, 64)) : 'missing'}, not sw-description` };
  if (first.data.length > MAX_SW_DESCRIPTION_BYTES) return { error: `sw-description is ${first.data.length} bytes, more than ${MAX_SW_DESCRIPTION_BYTES}` };
  const signed = second?.name === SW_DESCRIPTION_SIG;
  const text = first.data.toString('utf8');
  const version = swDescriptionVersion(text);
  return {
    format: archive.format,
    swDescription: first,
    signature: signed ? second : null,
    files: signed ? rest : archive.entries.slice(1),
    version: version ? { value: version.version, archiveOffset: (first.dataOffset ?? 0) + Buffer.byteLength(text.slice(0, version.offset), 'utf8') } : null,
  };
}

/** Assembles an archive in swupdate's order; signature null leaves sw-description.sig out. */
export function writeSwu(image: { format: CpioFormat; swDescription: Buffer; signature: Buffer | null; files: { name: string; data: Buffer }[] }): Buffer {
  return writeCpio({
    format: image.format,
    entries: [
      { name: SW_DESCRIPTION, data: image.swDescription },
      ...(image.signature ? [{ name: SW_DESCRIPTION_SIG, data: image.signature }] : []),
      ...image.files,
    ],
  });
}

/** A sw-description that Debian's swupdate accepts in check mode: a version, and each file with its path and sha256. */
export function swDescriptionFor(version: string, files: SwuFile[]): Buffer {
  const entries = files.map((f) =>
    [
      '\t\t{',
      `\t\t\tfilename = "${f.name}";`,
      `\t\t\tpath = "${f.path}";`,
      `\t\t\tsha256 = "${createHash('sha256').update(f.data).digest('hex')}";`,
      '\t\t}',
    ].join('\n'),
  );
  return Buffer.from(['software =', '{', `\tversion = "${version}";`, '\thardware-compatibility: [ "1.0" ];', '\tfiles: (', entries.join(',\n'), '\t);', '}', ''].join('\n'), 'utf8');
}

/** A complete .swu: sw-description for the files, signed with the signer's certificate and key when given. */
export function makeSwu(options: {
  version: string;
  files: SwuFile[];
  signer: { certificatePem: string; keyPem: string } | null;
  format?: CpioFormat;
}): Buffer {
  const swDescription = swDescriptionFor(options.version, options.files);
  return writeSwu({
    format: options.format ?? 'crc',
    swDescription,
    signature: options.signer ? signCms(swDescription, options.signer) : null,
    files: options.files.map(({ name, data }) => ({ name, data })),
  });
}
