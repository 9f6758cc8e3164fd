import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCpio, writeCpio } from '../../harness/update/formats/swu-cpio.js';
import { requireBinaries } from '../support/daemons.js';
import { tempDir } from '../support/run-profile.js';

/** jcstar's cpio reader and writer against GNU cpio, in both SVR4 formats, and cpio's own crc check. */
const FILES = [
  { name: 'sw-description', data: Buffer.from('software = { version = "1.2.0"; };\n') },
  { name: 'rootfs.img', data: Buffer.from(Array.from({ length: 3001 }, (_, i) => (i * 7) & 0xff)) },
];

describe('cpio interop with GNU cpio', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    requireBinaries(this, { cpio: 'cpio' });
    dir = tempDir('jcstar-cpio-');
  });

  for (const format of ['newc', 'crc'] as const) {
    it(`reads what cpio -o -H ${format} writes`, () => {
      const source = join(dir, `source-${format}`);
      mkdirSync(source);
      for (const f of FILES) writeFileSync(join(source, f.name), f.data);
      const written = spawnSync('cpio', ['-o', '-H', format, '--quiet'], { cwd: source, input: FILES.map((f) => f.name).join('\n') + '\n' });
      expect(written.status).to.equal(0);
      const archive = parseCpio(written.stdout);
      if ('error' in archive) throw new Error(archive.error);
      expect(archive.format).to.equal(format);
      expect(archive.entries.map((e) => [e.name, e.data.equals(FILES.find((f) => f.name === e.name)!.data)])).to.deep.equal([
        ['sw-description', true],
        ['rootfs.img', true],
      ]);
    });

    it(`writes what cpio -i -H ${format} extracts, checksums verified`, () => {
      const target = join(dir, `target-${format}`);
      mkdirSync(target);
      const extracted = spawnSync('cpio', ['-i', '-H', format, '--quiet'], { cwd: target, input: writeCpio({ format, entries: FILES }) });
      expect(extracted.stderr.toString()).to.equal('');
      expect(extracted.status).to.equal(0);
      for (const f of FILES) expect(readFileSync(join(target, f.name)).equals(f.data), f.name).to.equal(true);
    });
  }

  it('cpio refuses a crc archive whose file changed without its checksum, as jcstar does', () => {
    const archive = writeCpio({ format: 'crc', entries: FILES });
    const changed = Buffer.from(archive);
    changed[archive.indexOf(FILES[1]!.data) + 1500] ^= 0xff;
    expect(parseCpio(changed)).to.deep.equal({ error: 'entry rootfs.img fails its cpio crc checksum' });
    const target = join(dir, 'target-changed');
    mkdirSync(target);
    const extracted = spawnSync('cpio', ['-i', '-H', 'crc', '--quiet'], { cwd: target, input: changed });
    expect(extracted.stderr.toString()).to.include('rootfs.img: checksum error');
  });
});
