/**
 * The CPIO archive an SWUpdate image (.swu) is: SVR4 "newc" (070701) or its "crc" variant (070702, what
 * `cpio -H crc` writes), whose header carries the sum of the file's bytes. Each entry is a 110-byte ASCII
 * header, the NUL-terminated name padded to 4 bytes, then the data padded to 4 bytes; `TRAILER!!!` ends it.
 */

export type CpioFormat = 'newc' | 'crc';
const MAGIC: Record<CpioFormat, string> = { newc: '070701', crc: '070702' };
const HEADER_BYTES = 110;
const TRAILER = 'TRAILER!!!';
/** magic + 12 fields of 8 hex digits before `check`. */
const CHECK_FIELD_OFFSET = 6 + 12 * 8;
/** Bounds that no real .swu approaches; beyond them the archive is refused unread. */
const MAX_NAME_BYTES = 4096;
const MAX_ENTRIES = 4096;

export interface CpioEntry {
  name: string;
  data: Buffer;
  /** Where the entry's header and data start in the archive (set when read). */
  headerOffset?: number;
  dataOffset?: number;
}

export interface CpioArchive {
  format: CpioFormat;
  entries: CpioEntry[];
}

/** The "crc" format's checksum: the 32-bit sum of the file's bytes. */
export function cpioChecksum(data: Buffer): number {
  let sum = 0;
  for (const byte of data) sum = (sum + byte) >>> 0;
  return sum;
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

function header(format: CpioFormat, fields: { ino: number; mode: number; nlink: number; size: number; nameSize: number; check: number }): string {
  const { ino, mode, nlink, size, nameSize, check } = fields;
  // ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  return MAGIC[format] + [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, nameSize, check].map(hex8).join('');
}

function entryBytes(format: CpioFormat, ino: number, mode: number, name: string, data: Buffer): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const check = format === 'crc' ? cpioChecksum(data) : 0;
  const head = Buffer.from(header(format, { ino, mode, nlink: 1, size: data.length, nameSize: nameBytes.length, check }), 'latin1');
  return [head, nameBytes, Buffer.alloc(pad4(HEADER_BYTES + nameBytes.length)), data, Buffer.alloc(pad4(data.length))];
}

/** Regular files (mode 0644, owner root, time 0) in the given order, then the trailer. */
export function writeCpio(archive: CpioArchive): Buffer {
  const parts: Buffer[] = [];
  archive.entries.forEach((entry, i) => parts.push(...entryBytes(archive.format, i + 1, 0o100644, entry.name, entry.data)));
  parts.push(...entryBytes(archive.format, 0, 0, TRAILER, Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/**
 * Copies the archive with the given bytes replaced in one entry's data and, in a crc archive, that entry's
 * checksum recomputed, so that the archive stays well-formed and only the content differs.
 */
export function patchCpioEntry(archive: Buffer, format: CpioFormat, entry: CpioEntry, changes: { offsetInData: number; value: number }[]): Buffer {
  if (entry.headerOffset === undefined || entry.dataOffset === undefined) throw new Error(`entry ${entry.name} was not read from an archive`);
  const patched = Buffer.from(archive);
  for (const change of changes) patched[entry.dataOffset + change.offsetInData] = change.value;
  if (format === 'crc') {
    const data = patched.subarray(entry.dataOffset, entry.dataOffset + entry.data.length);
    patched.write(hex8(cpioChecksum(data)), entry.headerOffset + CHECK_FIELD_OFFSET, 'latin1');
  }
  return patched;
}

function field(text: string, index: number): number | null {
  const value = text.slice(6 + index * 8, 14 + index * 8);
  return /^[0-9a-fA-F]{8}$/.test(value) ? parseInt(value, 16) : null;
}

/**
 * Reads an archive without trusting it: every size is checked against the bytes present before use, data
 * are views into the input (no copy), a crc entry's checksum must match. Never throws.
 */
export function parseCpio(bytes: Buffer): CpioArchive | { error: string } {
  const entries: CpioEntry[] = [];
  let format: CpioFormat | null = null;
  let offset = 0;
  for (let count = 0; count <= MAX_ENTRIES; count += 1) {
    if (bytes.length - offset < HEADER_BYTES) return { error: `the archive ends inside the header of entry ${count + 1} (offset ${offset})` };
    const text = bytes.subarray(offset, offset + HEADER_BYTES).toString('latin1');
    const magic = text.slice(0, 6);
    const entryFormat = magic === MAGIC.newc ? 'newc' : magic === MAGIC.crc ? 'crc' : null;
    if (!entryFormat) return { error: `no cpio newc/crc magic at offset ${offset}` };
    if (format && format !== entryFormat) return { error: `entry ${count + 1} mixes cpio formats` };
    format = entryFormat;
    const size = field(text, 6);
    const nameSize = field(text, 11);
    const check = field(text, 12);
    if (size === null || nameSize === null || check === null) return { error: `entry ${count + 1} has a header field that is not hex` };
    if (nameSize < 2 || nameSize > MAX_NAME_BYTES) return { error: `entry ${count + 1} has a name size of ${nameSize} bytes` };
    const nameStart = offset + HEADER_BYTES;
    const dataStart = nameStart + nameSize + pad4(HEADER_BYTES + nameSize);
    if (dataStart > bytes.length) return { error: `the archive ends inside the name of entry ${count + 1}` };
    if (bytes[nameStart + nameSize - 1] !== 0) return { error: `entry ${count + 1}'s name is not NUL-terminated` };
    const name = bytes.subarray(nameStart, nameStart + nameSize - 1).toString('utf8');
    if (name === TRAILER) return { format, entries };
    if (size > bytes.length - dataStart) return { error: `entry ${name.slice(0, 64)} states ${size} bytes, the archive holds ${bytes.length - dataStart} after its header` };
    const data = bytes.subarray(dataStart, dataStart + size);
    if (format === 'crc' && cpioChecksum(data) !== check) return { error: `entry ${name.slice(0, 64)} fails its cpio crc checksum` };
    entries.push({ name, data, headerOffset: offset, dataOffset: dataStart });
    offset = dataStart + size + pad4(size);
  }
  return { error: `more than ${MAX_ENTRIES} entries` };
}
