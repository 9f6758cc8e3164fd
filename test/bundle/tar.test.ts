import { expect } from 'chai';
import { readTar, TarFormatError, writeTar, type TarEntry } from '../../harness/bundle/tar.js';

const ENTRIES: TarEntry[] = [
  { path: 'attestation.dsse.json', bytes: Buffer.from('{}\n') },
  { path: 'run/empty', bytes: Buffer.alloc(0) },
  { path: 'run/artifacts/block.bin', bytes: Buffer.alloc(512, 7) },
  { path: `run/${'d'.repeat(90)}/${'f'.repeat(90)}.bin`, bytes: Buffer.from('long path') },
];

function archive(entries = ENTRIES): Buffer {
  return Buffer.concat(writeTar(entries));
}

/** A header with its checksum recomputed, as a hostile archive would carry. */
function withHeader(buf: Buffer, at: number, edit: (h: Buffer) => void): Buffer {
  const out = Buffer.from(buf);
  const h = out.subarray(at, at + 512);
  edit(h);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return out;
}

function rejects(buf: Buffer): string {
  try {
    readTar(buf);
  } catch (err) {
    expect(err).to.be.instanceOf(TarFormatError);
    return (err as Error).message;
  }
  throw new Error('readTar accepted the archive');
}

describe('bundle ustar writer and strict reader', () => {
  it('reads back what it wrote, path and bytes, with each file at its data offset', () => {
    const buf = archive();
    const read = readTar(buf);
    expect(read.map((e) => [e.path, e.bytes.toString('hex')])).to.deep.equal(ENTRIES.map((e) => [e.path, e.bytes.toString('hex')]));
    expect(read.map((e) => e.offset)).to.deep.equal([512, 1536, 2048, 3072]);
    expect(buf.length).to.equal(3072 + 512 + 1024);
  });

  it('is deterministic: the same files give the same bytes (mtime 0, uid 0, mode 0644)', () => {
    expect(archive().equals(archive())).to.equal(true);
    const h = archive().subarray(0, 512);
    expect(h.subarray(100, 108).toString()).to.equal('0000644\0');
    expect(h.subarray(136, 148).toString()).to.equal('00000000000\0');
    expect(h.subarray(257, 265).toString()).to.equal('ustar\x0000');
  });

  it('refuses to write an unsafe path', () => {
    for (const path of ['/etc/passwd', '../x', 'run/../x', 'run//x', 'run/./x', '']) {
      expect(() => writeTar([{ path, bytes: Buffer.alloc(1) }]), path).to.throw(TarFormatError, `unsafe path: ${path}`);
    }
  });

  it('says "archive truncated" for an archive cut anywhere', () => {
    const buf = archive();
    for (let cut = 0; cut < buf.length; cut += 97) expect(rejects(buf.subarray(0, cut)), `cut at ${cut}`).to.equal('archive truncated');
    expect(rejects(buf.subarray(0, buf.length - 1))).to.equal('archive truncated');
  });

  it('rejects a changed header byte by its checksum', () => {
    const buf = Buffer.from(archive());
    buf[0] ^= 1;
    expect(rejects(buf)).to.equal('archive damaged: header checksum wrong at byte 0');
  });

  it('rejects links, devices and folders: regular files only', () => {
    for (const type of ['1', '2', '3', '5', '6', 'L', 'x', 'g']) {
      expect(rejects(withHeader(archive(), 0, (h) => h.write(type, 156))), type).to.equal(
        `attestation.dsse.json: not a regular file (type "${type}"); bundles hold regular files only`,
      );
    }
  });

  it('rejects absolute paths and .. even with a valid checksum', () => {
    const named = (name: string) => withHeader(archive(), 0, (h) => {
      h.fill(0, 0, 100);
      h.write(name, 0);
    });
    expect(rejects(named('/etc/cron.d/x'))).to.equal('unsafe path in archive: "/etc/cron.d/x"');
    expect(rejects(named('run/../../x'))).to.equal('unsafe path in archive: "run/../../x"');
    expect(rejects(named('run/empty'))).to.equal('run/empty appears twice in the archive');
  });

  it('rejects a size larger than the archive, non-zero padding and data after the end', () => {
    expect(rejects(withHeader(archive(), 0, (h) => h.write('77777777777\0', 124)))).to.equal('archive truncated');
    const padded = Buffer.from(archive());
    padded[512 + 3] = 1;
    expect(rejects(padded)).to.equal('archive damaged: padding after attestation.dsse.json is not zero');
    expect(rejects(Buffer.concat([archive(), Buffer.from('x')]))).to.equal('archive damaged: data after the end of the archive');
  });
});
