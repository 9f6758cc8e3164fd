/**
 * A small POSIX ustar writer and a strict reader for evidence bundles. The writer is deterministic (mtime 0,
 * uid/gid 0, mode 0644, sorted by the caller), so that the same run folder always gives the same bytes. The
 * reader accepts only what the writer makes: regular files with relative paths, checksummed headers, zero
 * padding and the two zero blocks that end an archive. Anything else is a damaged or hostile archive.
 */

const BLOCK = 512;
const NAME_MAX = 100;
const PREFIX_MAX = 155;
/** Entries in one archive: a run folder holds a few hundred artifacts at most. */
export const MAX_ENTRIES = 100_000;

export interface TarEntry {
  path: string;
  bytes: Buffer;
}

/** Where a file's data starts in the archive, so a test can change exactly one byte of it. */
export interface ReadEntry extends TarEntry {
  offset: number;
}

export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

/** A relative path of plain components: no absolute path, no `.` or `..`, no empty component, no backslash. */
export function isSafePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= NAME_MAX) return { name: path, prefix: '' };
  for (let cut = path.indexOf('/'); cut !== -1; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= PREFIX_MAX && Buffer.byteLength(name) <= NAME_MAX) return { name, prefix };
  }
  throw new TarFormatError(`path too long for a ustar archive: ${path}`);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

function header(path: string, size: number): Buffer {
  const { name, prefix } = splitPath(path);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, NAME_MAX, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, PREFIX_MAX, 'utf8');
  h.write(`${checksum(h).toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The bytes a file of `size` bytes takes in an archive: its header and its data padded to whole blocks. */
export function archivedSize(size: number): number {
  return BLOCK + size + padding(size).length;
}

/** The two zero blocks that end every archive. */
export const END_OF_ARCHIVE_BYTES = 2 * BLOCK;

/** The archive's blocks, in the order given. */
export function writeTar(entries: TarEntry[]): Buffer[] {
  const blocks: Buffer[] = [];
  for (const { path, bytes } of entries) {
    if (!isSafePath(path)) throw new TarFormatError(`unsafe path: ${path}`);
    blocks.push(header(path, bytes.length), bytes, padding(bytes.length));
  }
  blocks.push(Buffer.alloc(END_OF_ARCHIVE_BYTES));
  return blocks;
}

function field(h: Buffer, start: number, length: number): string {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function parseOctal(h: Buffer, start: number, length: number, what: string, at: number): number {
  const text = field(h, start, length).trim();
  if (!/^[0-7]{1,11}$/.test(text)) throw new TarFormatError(`archive damaged: bad ${what} in the header at byte ${at}`);
  return Number.parseInt(text, 8);
}

function isZero(buf: Buffer): boolean {
  for (const b of buf) if (b !== 0) return false;
  return true;
}

/** Reads every entry of an archive the writer made; throws TarFormatError naming the first fault. */
export function readTar(archive: Buffer): ReadEntry[] {
  const entries: ReadEntry[] = [];
  const seen = new Set<string>();
  let at = 0;
  for (;;) {
    if (at + BLOCK > archive.length) throw new TarFormatError('archive truncated');
    const h = archive.subarray(at, at + BLOCK);
    if (isZero(h)) break;
    if (entries.length >= MAX_ENTRIES) throw new TarFormatError(`archive holds more than ${MAX_ENTRIES} entries`);
    if (parseOctal(h, 148, 8, 'checksum', at) !== checksum(h)) throw new TarFormatError(`archive damaged: header checksum wrong at byte ${at}`);
    if (field(h, 257, 6) !== 'ustar') throw new TarFormatError(`archive damaged: not a ustar header at byte ${at}`);
    const prefix = field(h, 345, PREFIX_MAX);
    const path = prefix ? `${prefix}/${field(h, 0, NAME_MAX)}` : field(h, 0, NAME_MAX);
    const type = String.fromCharCode(h[156]!);
    if (type !== '0' && type !== '\0') throw new TarFormatError(`${path}: not a regular file (type ${JSON.stringify(type)}); bundles hold regular files only`);
    if (!isSafePath(path)) throw new TarFormatError(`unsafe path in archive: ${JSON.stringify(path)}`);
    if (seen.has(path)) throw new TarFormatError(`${path} appears twice in the archive`);
    seen.add(path);
    const size = parseOctal(h, 124, 12, 'size', at);
    const offset = at + BLOCK;
    const end = offset + size + padding(size).length;
    if (end > archive.length) throw new TarFormatError('archive truncated');
    if (!isZero(archive.subarray(offset + size, end))) throw new TarFormatError(`archive damaged: padding after ${path} is not zero`);
    entries.push({ path, bytes: archive.subarray(offset, offset + size), offset });
    at = end;
  }
  if (at + 2 * BLOCK > archive.length) throw new TarFormatError('archive truncated');
  if (!isZero(archive.subarray(at))) throw new TarFormatError('archive damaged: data after the end of the archive');
  return entries;
}
