import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { cpioChecksum, parseCpio, patchCpioEntry, writeCpio, type CpioArchive } from '../../harness/update/formats/swu-cpio.js';
import { swDescriptionFiles, swDescriptionVersion } from '../../harness/update/formats/sw-description.js';
import { makeSwu, parseSwu, swDescriptionFor, writeSwu, type SwuImage } from '../../harness/update/formats/swu.js';

/** SWUpdate images: the cpio newc/crc archive, sw-description's version and hashes, and hostile archives. */
const ROOTFS = Buffer.from('rootfs payload '.repeat(100));
const FILES = [{ name: 'rootfs.img', data: ROOTFS, path: '/tmp/jcstar-update/rootfs.img' }];

function swu(bytes: Buffer): SwuImage {
  const image = parseSwu(bytes);
  if ('error' in image) throw new Error(image.error);
  return image;
}

function entries(archive: CpioArchive | { error: string }): { name: string; data: string }[] {
  if ('error' in archive) throw new Error(archive.error);
  return archive.entries.map((e) => ({ name: e.name, data: e.data.toString('latin1') }));
}

describe('swu format', () => {
  for (const format of ['newc', 'crc'] as const) {
    it(`round-trips a ${format} archive, names and data padded to 4 bytes`, () => {
      const written = writeCpio({ format, entries: [{ name: 'a', data: Buffer.from('x') }, { name: 'bb.img', data: Buffer.from('hello world') }] });
      expect(written.length % 4).to.equal(0);
      expect(written.subarray(0, 6).toString('latin1')).to.equal(format === 'crc' ? '070702' : '070701');
      expect(entries(parseCpio(written))).to.deep.equal([{ name: 'a', data: 'x' }, { name: 'bb.img', data: 'hello world' }]);
    });
  }

  it('writes the crc checksum as the sum of the file bytes and refuses an entry whose sum differs', () => {
    const written = writeCpio({ format: 'crc', entries: [{ name: 'f', data: Buffer.from([0xff, 0xff, 0x02]) }] });
    expect(cpioChecksum(Buffer.from([0xff, 0xff, 0x02]))).to.equal(0x200);
    expect(written.subarray(102, 110).toString('latin1')).to.equal('00000200');
    const archive = parseCpio(written);
    if ('error' in archive) throw new Error(archive.error);
    const corrupted = Buffer.from(written);
    corrupted[archive.entries[0]!.dataOffset!] = 0;
    expect(parseCpio(corrupted)).to.deep.equal({ error: 'entry f fails its cpio crc checksum' });
    const patched = patchCpioEntry(written, 'crc', archive.entries[0]!, [{ offsetInData: 0, value: 0 }]);
    expect(entries(parseCpio(patched))).to.deep.equal([{ name: 'f', data: '\u0000\u00ff\u0002' }]);
    expect(patched.subarray(102, 110).toString('latin1')).to.equal('00000101');
  });

  it('reads sw-description first, sw-description.sig second, then the files, and the software version', () => {
    const bytes = writeSwu({ format: 'crc', swDescription: swDescriptionFor('1.2.0', FILES), signature: Buffer.from('sig'), files: [{ name: 'rootfs.img', data: ROOTFS }] });
    const image = swu(bytes);
    expect(image.format).to.equal('crc');
    expect(image.signature?.data.toString()).to.equal('sig');
    expect(image.files.map((f) => f.name)).to.deep.equal(['rootfs.img']);
    expect(image.version?.value).to.equal('1.2.0');
    expect(bytes.subarray(image.version!.archiveOffset, image.version!.archiveOffset + 5).toString()).to.equal('1.2.0');
    const unsigned = swu(makeSwu({ version: '2.0.1', files: FILES, signer: null, format: 'newc' }));
    expect(unsigned.signature).to.equal(null);
    expect(unsigned.files.map((f) => f.name)).to.deep.equal(['rootfs.img']);
  });

  it('states sw-description in the form swupdate accepts', () => {
    const sha = createHash('sha256').update(ROOTFS).digest('hex');
    expect(swDescriptionFor('1.2.0', FILES).toString()).to.equal(
      `software =\n{\n\tversion = "1.2.0";\n\thardware-compatibility: [ "1.0" ];\n\tfiles: (\n\t\t{\n\t\t\tfilename = "rootfs.img";\n\t\t\tpath = "/tmp/jcstar-update/rootfs.img";\n\t\t\tsha256 = "${sha}";\n\t\t}\n\t);\n}\n`,
    );
  });

  it('finds the software-level version, not an image version or one in a comment or string', () => {
    const text = [
      '# version = "0.0.1";',
      'software =',
      '{',
      '  /* version = "0.0.2"; */ description = "version = \\"0.0.3\\"; {";',
      '  images: ( { filename = "k.img"; version = "5.0"; sha256 = "abc"; }, { filename = "r.img"; } );',
      '  version : "3.1.4";',
      '}',
    ].join('\n');
    expect(swDescriptionVersion(text)?.version).to.equal('3.1.4');
    expect(text.slice(swDescriptionVersion(text)!.offset, swDescriptionVersion(text)!.offset + 5)).to.equal('3.1.4');
    expect(swDescriptionFiles(text)).to.deep.equal([{ filename: 'k.img', sha256: 'abc' }, { filename: 'r.img' }]);
    expect(swDescriptionVersion('software = { images: ( { version = "1"; } ); };')).to.equal(null);
  });

  it('gives an error, never a throw or a large allocation, for hostile archives', () => {
    const good = makeSwu({ version: '1.2.0', files: FILES, signer: null });
    expect(parseSwu(good.subarray(0, 520))).to.deep.equal({ error: 'entry rootfs.img states 1500 bytes, the archive holds 24 after its header' });
    expect(parseSwu(good.subarray(0, 50))).to.deep.equal({ error: 'the archive ends inside the header of entry 1 (offset 0)' });
    const huge = Buffer.from(good);
    huge.write('ffffffff', 6 + 6 * 8, 'latin1');
    expect(parseSwu(huge)).to.deep.equal({ error: 'entry sw-description states 4294967295 bytes, the archive holds 1992 after its header' });
    const longName = Buffer.from(good);
    longName.write('7fffffff', 6 + 11 * 8, 'latin1');
    expect(parseSwu(longName)).to.deep.equal({ error: 'entry 1 has a name size of 2147483647 bytes' });
    const notHex = Buffer.from(good);
    notHex.write('zzzzzzzz', 6 + 6 * 8, 'latin1');
    expect(parseSwu(notHex)).to.deep.equal({ error: 'entry 1 has a header field that is not hex' });
    expect(parseSwu(writeCpio({ format: 'newc', entries: [{ name: 'other', data: Buffer.from('x') }] }))).to.deep.equal({
      error: 'the first archive entry is "other", not sw-description',
    });
    expect(parseSwu(good.subarray(0, good.length - 124))).to.have.property('error');
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 300; i += 1) {
      const random = i % 2 === 0 ? randomBytes(i * 13) : Buffer.concat([Buffer.from('070701'), randomBytes(i * 13)]);
      expect(parseSwu(random)).to.have.property('error');
    }
    expect(process.memoryUsage().arrayBuffers - before).to.be.below(16 * 1024 * 1024);
  });
});
