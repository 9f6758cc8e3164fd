import { randomBytes } from 'node:crypto';

/**
 * DNS messages (RFC 1035 §4) as far as the UDP inventory needs them: one query out, and the records of
 * an answer read back (DNS and mDNS). Answers come from untrusted devices: name compression may loop,
 * counts may lie; every read is bounded and a malformed answer is null, never an exception.
 */

export const RR = { ptr: 12, txt: 16, srv: 33 } as const;
export const CLASS = { in: 1, chaos: 3 } as const;

export interface DnsRecord {
  name: string;
  type: number;
  /** PTR and SRV: the name pointed to; TXT: the strings; other types: empty. */
  data: string[];
  /** SRV only. */
  port: number | null;
}

export interface DnsAnswer {
  /** RCODE (0 NOERROR, 3 NXDOMAIN, 5 REFUSED…). */
  rcode: number;
  /** Answer, authority and additional records, in order. */
  records: DnsRecord[];
}

/** Records read from one answer; a device may claim 65535. */
const MAX_RECORDS = 64;
/** Compression pointers followed in one name: more means a loop. */
const MAX_JUMPS = 16;

/** A standard query (opcode 0, recursion not desired) for one name, type and class, with a fresh ID. */
export function dnsQuery(name: string, type: number, klass: number): Buffer {
  const header = Buffer.alloc(12);
  randomBytes(2).copy(header, 0);
  header.writeUInt16BE(1, 4);
  const labels = name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(klass, 2);
  return Buffer.concat([header, ...labels, Buffer.from([0]), tail]);
}

/** The answer to `query` (same ID, QR set, same question), or null when `bytes` are not one. */
export function parseDnsAnswer(bytes: Buffer, query: Buffer): DnsAnswer | null {
  if (bytes.length < 12 || bytes.readUInt16BE(0) !== query.readUInt16BE(0) || !(bytes[2]! & 0x80)) return null;
  try {
    const counts = [4, 6, 8, 10].map((at) => bytes.readUInt16BE(at));
    let at = 12;
    for (let q = 0; q < Math.min(counts[0]!, 4); q++) at = readName(bytes, at).next + 4;
    const records: DnsRecord[] = [];
    const total = Math.min(counts[1]! + counts[2]! + counts[3]!, MAX_RECORDS);
    for (let r = 0; r < total && at < bytes.length; r++) {
      const { name, next } = readName(bytes, at);
      const type = bytes.readUInt16BE(next);
      const length = bytes.readUInt16BE(next + 8);
      const start = next + 10;
      if (start + length > bytes.length) break;
      records.push(readRecord(bytes, name, type, start, length));
      at = start + length;
    }
    return { rcode: bytes[3]! & 0x0f, records };
  } catch {
    // A read past the end: the counts lied; what could not be read is not an answer.
    return null;
  }
}

function readRecord(bytes: Buffer, name: string, type: number, start: number, length: number): DnsRecord {
  const rdata = bytes.subarray(start, start + length);
  if (type === RR.ptr) return { name, type, data: [readName(bytes, start).name], port: null };
  if (type === RR.srv && length >= 7) return { name, type, data: [readName(bytes, start + 6).name], port: rdata.readUInt16BE(4) };
  if (type === RR.txt) {
    const strings: string[] = [];
    for (let i = 0; i < rdata.length && strings.length < MAX_RECORDS; i += 1 + rdata[i]!) strings.push(rdata.subarray(i + 1, i + 1 + rdata[i]!).toString('utf8'));
    return { name, type, data: strings, port: null };
  }
  return { name, type, data: [], port: null };
}

/** A possibly compressed name at `at`; `next` is where the bytes after it start. */
function readName(bytes: Buffer, at: number): { name: string; next: number } {
  const labels: string[] = [];
  let next = -1;
  for (let jumps = 0; ; ) {
    const length = bytes[at];
    if (length === undefined) throw new RangeError('name runs past the end');
    if (length === 0) {
      if (next === -1) next = at + 1;
      break;
    }
    if ((length & 0xc0) === 0xc0) {
      if (++jumps > MAX_JUMPS) throw new RangeError('compression loop');
      if (next === -1) next = at + 2;
      at = bytes.readUInt16BE(at) & 0x3fff;
      continue;
    }
    labels.push(bytes.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
    if (labels.length > 127) throw new RangeError('name too long');
  }
  return { name: labels.join('.'), next };
}
