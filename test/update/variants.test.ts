import { expect } from 'chai';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSigningIdentity } from '../../harness/update/formats/cms.js';
import { writeJcstarImage } from '../../harness/update/formats/jcstar-image.js';
import { parseCpio } from '../../harness/update/formats/swu-cpio.js';
import { makeSwu } from '../../harness/update/formats/swu.js';
import type { ImageVariant } from '../../harness/update/types.js';
import { imageVariant, makeAttackVariants } from '../../harness/update/variants.js';
import { verifyImage, verifyImageWithPem } from '../../harness/update/verify-image.js';
import { tempDir } from '../support/run-profile.js';

/**
 * The attack variants of a genuine image: each differs from it by exactly what its description says, and
 * verifyImage refuses each for its own reason while it accepts the genuine image.
 */
const PAYLOAD = Buffer.from('firmware payload '.repeat(64));

function byAttempt(variants: ImageVariant[]): Record<string, ImageVariant> {
  expect(variants.map((v) => v.attempt)).to.deep.equal(['payload-byte-flipped', 'metadata-byte-changed', 'wrong-key', 'unsigned']);
  return Object.fromEntries(variants.map((v) => [v.attempt, v]));
}

function differingOffsets(a: Buffer, b: Buffer): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) offsets.push(i);
  return offsets;
}

/** Offsets that differ outside the cpio headers' crc `check` fields, which a crc archive recomputes. */
function differingContent(genuine: Buffer, changed: Buffer): number[] {
  const archive = parseCpio(genuine);
  if ('error' in archive) throw new Error(archive.error);
  const checkFields = archive.entries.map((e) => e.headerOffset! + 102);
  return differingOffsets(genuine, changed).filter((o) => !checkFields.some((f) => o >= f && o < f + 8));
}

function expectNoKeyMaterial(variants: ImageVariant[], secrets: string[]): void {
  for (const v of variants) {
    expect(v.description).to.not.match(/BEGIN|PRIVATE|KEY-----/);
    for (const secret of secrets) expect(v.description).to.not.include(secret);
    expect(v.description).to.not.include('\n');
  }
}

describe('update image variants', function () {
  this.timeout(60_000);

  const jcstarKeys: Record<string, { privateKey: KeyObject; publicKey: KeyObject }> = {
    ed25519: generateKeyPairSync('ed25519'),
    'ecdsa-p256-sha256': generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    'rsa-pss-sha256': generateKeyPairSync('rsa', { modulusLength: 2048 }),
  };

  for (const [algorithm, pair] of Object.entries(jcstarKeys)) {
    it(`jcstar-image (${algorithm}): the genuine image verifies, each variant is refused for its reason`, () => {
      const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const genuine = writeJcstarImage({ version: '1.2.0', payload: PAYLOAD, privateKey: pair.privateKey });
      const accepted = verifyImageWithPem('jcstar-image', genuine, pem);
      expect(accepted).to.include({ ok: true, version: '1.2.0' });
      expect((accepted as { signer: string }).signer).to.match(new RegExp(`^${algorithm} public key sha256:[0-9a-f]{16}$`));

      const variants = makeAttackVariants({ format: 'jcstar-image', genuine, genuineVersion: '1.2.0', signingKeyPem: pem });
      const v = byAttempt(variants);
      const payloadStart = genuine.length - PAYLOAD.length;
      const middle = payloadStart + PAYLOAD.length / 2;

      expect(differingOffsets(genuine, v['payload-byte-flipped']!.bytes)).to.deep.equal([middle]);
      expect(v['payload-byte-flipped']!.description).to.equal(
        `payload byte ${PAYLOAD.length / 2} of ${PAYLOAD.length} (image offset ${middle}) flipped 0x66 -> 0x99; signature and manifest as genuine`,
      );
      expect(verifyImageWithPem('jcstar-image', v['payload-byte-flipped']!.bytes, pem)).to.deep.include({ ok: false, version: '1.2.0' });
      expect((verifyImageWithPem('jcstar-image', v['payload-byte-flipped']!.bytes, pem) as { reason: string }).reason).to.match(/^the payload SHA-256 [0-9a-f]{64} differs from the signed manifest's/);

      const versionAt = genuine.indexOf('1.2.0') + 4;
      expect(differingOffsets(genuine, v['metadata-byte-changed']!.bytes)).to.deep.equal([versionAt]);
      expect(v['metadata-byte-changed']!.version).to.equal('1.2.1');
      expect(v['metadata-byte-changed']!.description).to.equal(
        `signed manifest byte at image offset ${versionAt} changed '0' -> '1' (version 1.2.0 -> 1.2.1); signature as genuine`,
      );
      expect(verifyImageWithPem('jcstar-image', v['metadata-byte-changed']!.bytes, pem)).to.deep.equal({
        ok: false,
        reason: `the ${algorithm} signature over the manifest does not verify with the vendor key`,
        version: '1.2.1',
      });

      expect(v['wrong-key']!.description).to.equal(`manifest re-signed with a ${algorithm} key jcstar made up for this run; manifest and payload as genuine`);
      expect(verifyImageWithPem('jcstar-image', v['wrong-key']!.bytes, pem)).to.deep.equal({
        ok: false,
        reason: `the ${algorithm} signature over the manifest does not verify with the vendor key`,
        version: '1.2.0',
      });

      expect(v.unsigned!.description).to.equal('signature line emptied; manifest and payload as genuine');
      expect(verifyImageWithPem('jcstar-image', v.unsigned!.bytes, pem)).to.deep.equal({ ok: false, reason: 'unsigned: the signature line is empty', version: '1.2.0' });
      for (const variant of variants) expect(variant).to.include({ format: 'jcstar-image' }).and.to.have.property('sha256').that.matches(/^[0-9a-f]{64}$/);
      expectNoKeyMaterial(variants, [pair.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64').slice(-40)]);
    });
  }

  for (const format of ['crc', 'newc'] as const) {
    it(`swu (${format}): the genuine image verifies with the CA, each variant is refused for its reason`, () => {
      const vendor = makeSigningIdentity('vendor');
      const genuine = makeSwu({
        version: '1.2.0',
        files: [{ name: 'rootfs.img', data: PAYLOAD, path: '/tmp/jcstar-update/rootfs.img' }],
        signer: { certificatePem: vendor.signerCertificatePem, keyPem: vendor.signerKeyPem },
        format,
      });
      const ca = vendor.caCertificatePem;
      expect(verifyImageWithPem('swu', genuine, ca)).to.deep.equal({ ok: true, version: '1.2.0', signer: 'CN=vendor signer, O=jcstar' });
      const variants = makeAttackVariants({ format: 'swu', genuine, genuineVersion: '1.2.0', signingKeyPem: ca });
      const v = byAttempt(variants);
      const crcNote = format === 'crc' ? '; cpio crc recomputed' : '';

      const payloadAt = genuine.indexOf(PAYLOAD) + PAYLOAD.length / 2;
      expect(differingContent(genuine, v['payload-byte-flipped']!.bytes)).to.deep.equal([payloadAt]);
      expect(parseCpio(v['payload-byte-flipped']!.bytes)).to.not.have.property('error');
      expect(v['payload-byte-flipped']!.description).to.equal(
        `rootfs.img byte ${PAYLOAD.length / 2} of ${PAYLOAD.length} (archive offset ${payloadAt}) flipped 0x66 -> 0x99${crcNote}; sw-description and signature as genuine`,
      );
      const flippedVerdict = verifyImageWithPem('swu', v['payload-byte-flipped']!.bytes, ca) as { ok: false; reason: string };
      expect(flippedVerdict.reason).to.match(/^rootfs\.img's SHA-256 [0-9a-f]{64} differs from sw-description's [0-9a-f]{64}$/);

      const versionAt = genuine.indexOf('"1.2.0"') + 5;
      expect(differingContent(genuine, v['metadata-byte-changed']!.bytes)).to.deep.equal([versionAt]);
      expect(parseCpio(v['metadata-byte-changed']!.bytes)).to.not.have.property('error');
      expect(v['metadata-byte-changed']!.version).to.equal('1.2.1');
      expect(v['metadata-byte-changed']!.description).to.equal(
        `sw-description byte at archive offset ${versionAt} changed '0' -> '1' (version 1.2.0 -> 1.2.1)${crcNote}; sw-description.sig as genuine`,
      );
      expect(verifyImageWithPem('swu', v['metadata-byte-changed']!.bytes, ca)).to.deep.equal({
        ok: false,
        reason: 'the signed messageDigest is not the sha256 of sw-description: the signed content changed',
        version: '1.2.1',
      });

      expect(v['wrong-key']!.description).to.equal(
        'sw-description.sig replaced by a CMS signature of CN=jcstar made-up signer, O=jcstar under a CA jcstar made up for this run; sw-description and files as genuine',
      );
      expect(verifyImageWithPem('swu', v['wrong-key']!.bytes, ca)).to.deep.equal({
        ok: false,
        reason: 'the signer certificate CN=jcstar made-up signer, O=jcstar does not chain to the given CA',
        version: '1.2.0',
      });

      expect(v.unsigned!.description).to.equal('sw-description.sig entry removed; sw-description and files as genuine');
      expect(verifyImageWithPem('swu', v.unsigned!.bytes, ca)).to.deep.equal({ ok: false, reason: 'unsigned: the archive has no sw-description.sig', version: '1.2.0' });
      expectNoKeyMaterial(variants, [vendor.signerKeyPem.split('\n')[5]!]);
    });
  }

  it('never throws on mutated images, and accepts none whose signed or hashed bytes changed', () => {
    const vendor = makeSigningIdentity('vendor');
    const genuine = makeSwu({
      version: '1.2.0',
      files: [{ name: 'rootfs.img', data: PAYLOAD, path: '/tmp/jcstar-update/rootfs.img' }],
      signer: { certificatePem: vendor.signerCertificatePem, keyPem: vendor.signerKeyPem },
      format: 'newc',
    });
    const archive = parseCpio(genuine);
    if ('error' in archive) throw new Error(archive.error);
    const [description, , rootfs] = archive.entries.map((e) => ({ from: e.dataOffset!, to: e.dataOffset! + e.data.length }));
    let refused = 0;
    for (let i = 0; i < 300; i += 1) {
      const at = (i * 977) % genuine.length;
      const mutated = Buffer.from(genuine);
      mutated[at] ^= 1 << (i % 8);
      const cut = i % 5 === 0;
      const verdict = verifyImageWithPem('swu', cut ? genuine.subarray(0, at) : mutated, vendor.caCertificatePem);
      const inSigned = [description!, rootfs!].some((r) => at >= r.from && at < r.to);
      if (cut || inSigned) expect(verdict.ok, `${cut ? 'cut' : 'byte changed'} at offset ${at}`).to.equal(false);
      if (!verdict.ok) refused += 1;
    }
    // The rest are cpio header fields (inode, time, owner) and padding, which no signature covers.
    expect(refused).to.be.above(250);
  });

  it('describes images served as they are, with their hash', () => {
    const bytes = Buffer.from('image');
    expect(imageVariant('cut-download', 'swu', bytes, '1.2.0')).to.deep.equal({
      attempt: 'cut-download',
      format: 'swu',
      bytes,
      sha256: '6105d6cc76af400325e94d588ce511be5bfdbb73b437dc51eca43917d7a43e3d',
      version: '1.2.0',
      description: 'the genuine image (5 bytes), the connection reset after 2 bytes',
    });
    expect(imageVariant('rollback', 'jcstar-image', bytes, '1.1.0').description).to.equal('the older genuinely signed image as given (5 bytes, version 1.1.0)');
    expect(imageVariant('plain-http', 'jcstar-image', bytes, '1.2.0').description).to.equal('the genuine image (5 bytes), served over plain HTTP');
    expect(imageVariant('untrusted-certificate', 'jcstar-image', bytes, '1.2.0').description).to.equal('the genuine image (5 bytes), served with a TLS certificate jcstar made up');
    expect(imageVariant('genuine', 'swu', bytes, '1.2.0').description).to.equal('the genuine image as given (5 bytes, version 1.2.0)');
  });

  it('verifyImage reads the key file and says when it cannot', () => {
    const dir = tempDir('jcstar-verify-');
    const pair = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'vendor.pem'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const genuine = writeJcstarImage({ version: '3.0', payload: PAYLOAD, privateKey: pair.privateKey });
    expect(verifyImage('jcstar-image', genuine, join(dir, 'vendor.pem'))).to.include({ ok: true, version: '3.0' });
    expect(verifyImage('jcstar-image', genuine, join(dir, 'absent.pem'))).to.deep.equal({ ok: false, reason: 'cannot read the signing key file: ENOENT' });
    writeFileSync(join(dir, 'garbage.pem'), 'garbage');
    expect(verifyImage('jcstar-image', genuine, join(dir, 'garbage.pem'))).to.deep.equal({ ok: false, reason: 'the signing key file holds no PEM public key' });
    expect(verifyImage('swu', genuine, join(dir, 'vendor.pem'))).to.deep.equal({ ok: false, reason: 'no cpio newc/crc magic at offset 0' });
  });
});
