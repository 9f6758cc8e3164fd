import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeSigningIdentity, signCms, verifyCms, type SigningIdentity } from '../../harness/update/formats/cms.js';
import { requireBinaries } from '../support/daemons.js';
import { tempDir } from '../support/run-profile.js';

/**
 * CMS detached signatures over sw-description, checked against the real `openssl cms` both ways: what
 * openssl signs (RSA and EC P-256 signers) verifies with jcstar's verifier, and what jcstar signs verifies
 * with `openssl cms -verify` under swupdate's default purpose (S/MIME signing).
 */
const run = promisify(execFile);
const CONTENT = Buffer.from('software =\n{\n\tversion = "1.2.0";\n};\n');

describe('CMS signatures (sw-description.sig)', function () {
  this.timeout(60_000);
  let dir: string;
  let vendor: SigningIdentity;
  let other: SigningIdentity;

  before(function () {
    requireBinaries(this, { openssl: 'openssl' });
    dir = tempDir('jcstar-cms-');
    vendor = makeSigningIdentity('vendor');
    other = makeSigningIdentity('other');
    writeFileSync(join(dir, 'sw-description'), CONTENT);
    writeFileSync(join(dir, 'ca.pem'), vendor.caCertificatePem);
    writeFileSync(join(dir, 'signer.pem'), vendor.signerCertificatePem);
    writeFileSync(join(dir, 'signer.key'), vendor.signerKeyPem);
  });

  it('verifies its own signature and names the signer', () => {
    const signature = signCms(CONTENT, { certificatePem: vendor.signerCertificatePem, keyPem: vendor.signerKeyPem });
    expect(verifyCms(signature, CONTENT, vendor.caCertificatePem)).to.deep.equal({ ok: true, signer: 'CN=vendor signer, O=jcstar' });
  });

  it('refuses changed content, another CA, garbage and an oversized signature with the reason', () => {
    const signature = signCms(CONTENT, { certificatePem: vendor.signerCertificatePem, keyPem: vendor.signerKeyPem });
    const changed = Buffer.from(CONTENT);
    changed[changed.indexOf('0')] = 0x31;
    expect(verifyCms(signature, changed, vendor.caCertificatePem)).to.deep.equal({
      ok: false,
      reason: 'the signed messageDigest is not the sha256 of sw-description: the signed content changed',
    });
    expect(verifyCms(signature, CONTENT, other.caCertificatePem)).to.deep.equal({
      ok: false,
      reason: 'the signer certificate CN=vendor signer, O=jcstar does not chain to the given CA',
    });
    expect(verifyCms(Buffer.from('not der'), CONTENT, vendor.caCertificatePem)).to.deep.equal({ ok: false, reason: 'the signature is not DER' });
    expect(verifyCms(signature.subarray(0, signature.length - 40), CONTENT, vendor.caCertificatePem)).to.deep.equal({ ok: false, reason: 'the signature is not DER' });
    expect(verifyCms(Buffer.alloc(100_000), CONTENT, vendor.caCertificatePem)).to.deep.equal({
      ok: false,
      reason: 'the signature is 100000 bytes, more than a CMS signature needs',
    });
    expect(verifyCms(signature, CONTENT, 'no pem here')).to.deep.equal({ ok: false, reason: 'the CA file holds no PEM certificate' });
    // A signature whose signed attributes were changed no longer verifies with the signer's key.
    const flipped = Buffer.from(signature);
    const at = flipped.indexOf(Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05]));
    flipped[at + 20] ^= 0x01;
    expect(verifyCms(flipped, CONTENT, vendor.caCertificatePem)).to.deep.equal({
      ok: false,
      reason: 'the CMS signature does not verify with the key of CN=vendor signer, O=jcstar',
    });
  });

  it('never throws on a mutated or truncated signature, and never accepts one whose signed parts changed', () => {
    const signature = signCms(CONTENT, { certificatePem: vendor.signerCertificatePem, keyPem: vendor.signerKeyPem });
    let accepted = 0;
    for (let i = 0; i < 400; i += 1) {
      const mutated = Buffer.from(i % 4 === 0 ? signature.subarray(0, (i * 7) % signature.length) : signature);
      if (i % 4 !== 0) mutated[(i * 131) % mutated.length] ^= 1 << (i % 8);
      const verdict = verifyCms(mutated, CONTENT, vendor.caCertificatePem);
      expect(verdict).to.have.property('ok').that.is.a('boolean');
      if (verdict.ok) accepted += 1;
    }
    // Only the SignedData's list of digest algorithms is neither signed nor needed (openssl ignores it too).
    expect(accepted).to.be.below(8);
  });

  it('what jcstar signs verifies with openssl cms -verify (default purpose smimesign)', async () => {
    writeFileSync(join(dir, 'jcstar.sig'), signCms(CONTENT, { certificatePem: vendor.signerCertificatePem, keyPem: vendor.signerKeyPem }));
    const { stderr } = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'jcstar.sig'), '-content', join(dir, 'sw-description'), '-CAfile', join(dir, 'ca.pem'), '-purpose', 'smimesign', '-out', join(dir, 'out')]);
    expect(stderr.trim()).to.equal('CMS Verification successful');
    expect(readFileSync(join(dir, 'out')).equals(CONTENT)).to.equal(true);
    let refused = '';
    await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'jcstar.sig'), '-content', join(dir, 'ca.pem'), '-CAfile', join(dir, 'ca.pem'), '-out', join(dir, 'out')]).catch((e: { stderr: string }) => {
      refused = e.stderr;
    });
    expect(refused).to.include('CMS Verification failure');
  });

  it('what openssl cms -sign makes (RSA signer) verifies with jcstar', async () => {
    await run('openssl', ['cms', '-sign', '-in', join(dir, 'sw-description'), '-out', join(dir, 'openssl.sig'), '-signer', join(dir, 'signer.pem'), '-inkey', join(dir, 'signer.key'), '-outform', 'DER', '-nosmimecap', '-binary']);
    const signature = readFileSync(join(dir, 'openssl.sig'));
    expect(verifyCms(signature, CONTENT, vendor.caCertificatePem)).to.deep.equal({ ok: true, signer: 'CN=vendor signer, O=jcstar' });
    expect(verifyCms(signature, CONTENT, other.caCertificatePem).ok).to.equal(false);
  });

  it('what openssl cms -sign makes with an EC P-256 signer under an openssl CA verifies with jcstar', async () => {
    const ec = (name: string) => join(dir, `ec-${name}`);
    writeFileSync(ec('ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\n');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', ec('ca.key'), '-out', ec('ca.pem'), '-subj', '/CN=EC vendor CA', '-days', '3650']);
    await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', ec('signer.key'), '-out', ec('signer.csr'), '-subj', '/CN=EC vendor signer']);
    await run('openssl', ['x509', '-req', '-in', ec('signer.csr'), '-CA', ec('ca.pem'), '-CAkey', ec('ca.key'), '-CAcreateserial', '-out', ec('signer.pem'), '-days', '3650', '-extfile', ec('ext.cnf')]);
    await run('openssl', ['cms', '-sign', '-in', join(dir, 'sw-description'), '-out', ec('openssl.sig'), '-signer', ec('signer.pem'), '-inkey', ec('signer.key'), '-outform', 'DER', '-nosmimecap', '-binary']);
    expect(verifyCms(readFileSync(ec('openssl.sig')), CONTENT, readFileSync(ec('ca.pem'), 'utf8'))).to.deep.equal({ ok: true, signer: 'CN=EC vendor signer' });
    expect(verifyCms(readFileSync(ec('openssl.sig')), Buffer.from('other'), readFileSync(ec('ca.pem'), 'utf8')).ok).to.equal(false);
  });
});
