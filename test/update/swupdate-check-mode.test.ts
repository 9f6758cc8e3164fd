import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSigningIdentity, type SigningIdentity } from '../../harness/update/formats/cms.js';
import { makeSwu } from '../../harness/update/formats/swu.js';
import type { ImageVariant } from '../../harness/update/types.js';
import { makeAttackVariants } from '../../harness/update/variants.js';
import { requireBinaries } from '../support/daemons.js';
import { tempDir } from '../support/run-profile.js';

/**
 * Debian's swupdate (2022.12) as the oracle for jcstar's .swu images: in check mode (`-c`, nothing is
 * installed) it accepts the genuine signed image and refuses each attack variant, for the same reason
 * jcstar's verifier gives. Acceptance is judged by the log: after logging success, swupdate sometimes
 * exits 1 (about 1 run in 10, as its helper process ends), so its exit code proves only refusals.
 */
interface SwupdateRun {
  code: number | null;
  log: string;
}

describe('swupdate check mode on jcstar-made images', function () {
  this.timeout(120_000);
  let dir: string;
  let vendor: SigningIdentity;
  const PAYLOAD = Buffer.from('rootfs payload '.repeat(200));

  /** A fresh TMPDIR per run: swupdate puts its control sockets there, and runs sharing one disturb each other. */
  function check(name: string, bytes: Buffer, extra: string[] = []): Promise<SwupdateRun> {
    const image = join(dir, `${name}.swu`);
    writeFileSync(image, bytes);
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const args = ['-c', '-i', image, '-k', join(dir, 'ca.pem'), '-H', 'jcstar:1.0', '-l', '5', '-v', ...extra];
    return new Promise((resolve) => {
      execFile('swupdate', args, { env: { ...process.env, TMPDIR: `${tmp}/` }, timeout: 30_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, log: stdout + stderr });
      });
    });
  }

  function genuine(version: string, format: 'crc' | 'newc' = 'crc'): Buffer {
    return makeSwu({
      version,
      files: [{ name: 'rootfs.img', data: PAYLOAD, path: join(dir, 'installed', 'rootfs.img') }],
      signer: { certificatePem: vendor.signerCertificatePem, keyPem: vendor.signerKeyPem },
      format,
    });
  }

  before(function () {
    requireBinaries(this, { swupdate: 'swupdate' });
    dir = tempDir('jcstar-swupdate-');
    vendor = makeSigningIdentity('vendor');
    writeFileSync(join(dir, 'ca.pem'), vendor.caCertificatePem);
  });

  for (const format of ['crc', 'newc'] as const) {
    it(`accepts the genuine signed image (cpio ${format}) and installs nothing`, async () => {
      // swupdate 2022.12 now and then ends a check before its verdict (its helper process exits first): a
      // second run shows whether the image or that race stopped it.
      let run = await check(`genuine-${format}`, genuine('1.2.0', format));
      if (!run.log.includes('SWUPDATE successful !') && !/ERROR/.test(run.log)) run = await check(`genuine-${format}-again`, genuine('1.2.0', format));
      expect(run.log).to.include('Verified OK');
      expect(run.log).to.include('SWUPDATE successful !');
      expect(run.log).to.not.include('Image invalid or corrupted');
    });
  }

  it('refuses each attack variant for its own reason', async () => {
    const variants = makeAttackVariants({ format: 'swu', genuine: genuine('1.2.0'), genuineVersion: '1.2.0', signingKeyPem: vendor.caCertificatePem });
    const byAttempt = new Map<string, ImageVariant>(variants.map((v) => [v.attempt, v]));
    const expected: Record<string, string> = {
      'payload-byte-flipped': 'ERROR : HASH mismatch',
      'metadata-byte-changed': 'ERROR : Signature verification failed',
      'wrong-key': 'ERROR : Authentication of all signatures failed',
      unsigned: 'description file name not the first of the list: rootfs.img instead of sw-description.sig',
    };
    for (const [attempt, reason] of Object.entries(expected)) {
      const run = await check(attempt, byAttempt.get(attempt)!.bytes);
      expect(run.code, attempt).to.equal(1);
      expect(run.log, attempt).to.include(reason);
      expect(run.log, attempt).to.include('Image invalid or corrupted. Not installing');
      expect(run.log, attempt).to.not.include('SWUPDATE successful !');
    }
    expect(readdirSync(dir)).to.not.include('installed');
  });

  it('refuses an older image under -N (no downgrading) and takes it without', async () => {
    const older = genuine('1.1.0');
    const refused = await check('older-refused', older, ['-N', '1.2.0']);
    expect(refused.log).to.include('No downgrading allowed: new version 1.1.0 <= installed 1.2.0');
    expect(refused.code).to.equal(1);
    const taken = await check('older-taken', older);
    expect(taken.log).to.include('SWUPDATE successful !');
    expect(taken.log).to.not.include('No downgrading allowed');
  });
});
