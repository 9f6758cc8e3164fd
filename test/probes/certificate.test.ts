import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { analyseCertificateChain, CertificateParseError, MAX_CHAIN_LENGTH, type ChainAnalysisOptions } from '../../harness/probes/tls/certificate.js';
import { EXPIRED_VALIDITY, VALIDITY, testCertificates, type TestCertificate, type TestCertificates } from '../support/certificates.js';
import { requireBinaries } from '../support/daemons.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');

function analyse(ders: Buffer[], options: Partial<ChainAnalysisOptions> = {}) {
  return analyseCertificateChain(ders, { host: '127.0.0.1', now: NOW, trustAnchors: [], orderVisible: true, ...options });
}

/** openssl's own reading of a certificate, as an oracle for serial and fingerprint. */
async function opensslView(cert: TestCertificate): Promise<{ serial: string; fingerprint: string }> {
  const { stdout } = await promisify(execFile)('openssl', ['x509', '-in', cert.certFile, '-noout', '-serial', '-fingerprint', '-sha256']);
  return {
    serial: /serial=(\S+)/.exec(stdout)![1]!,
    fingerprint: /Fingerprint=(\S+)/i.exec(stdout)![1]!,
  };
}

function parseError(run: () => unknown): CertificateParseError {
  try {
    run();
  } catch (err) {
    expect(err).to.be.instanceOf(CertificateParseError);
    return err as CertificateParseError;
  }
  throw new Error('expected a CertificateParseError');
}

describe('certificate chain analysis', function () {
  let certs: TestCertificates;

  before(async function () {
    requireBinaries(this, { openssl: 'openssl' });
    certs = await testCertificates();
  });

  describe('each certificate', () => {
    it('reads an RSA 2048 leaf issued by the CA, as openssl does', async () => {
      const chain = analyse([certs.leaf.der]);
      const oracle = await opensslView(certs.leaf);
      expect(chain.certificates).to.deep.equal([
        {
          subject: 'O=jcstar tests, CN=camera.jcstar.test',
          issuer: 'O=jcstar tests, CN=jcstar test root CA',
          serialNumber: '1002',
          notBefore: '2025-01-01T00:00:00.000Z',
          notAfter: '2050-01-01T00:00:00.000Z',
          keyType: 'RSA',
          keyBits: 2048,
          curve: null,
          signatureAlgorithm: 'sha256WithRSAEncryption',
          signatureHash: 'sha256',
          subjectAltNames: ['IP:127.0.0.1', 'DNS:camera.jcstar.test', 'DNS:*.fleet.jcstar.test'],
          selfSigned: false,
          sha256Fingerprint: oracle.fingerprint,
        },
      ]);
      expect(oracle.serial).to.equal('1002');
      expect(chain).to.include({ order: 'ok', hostMatches: true, checkedAt: '2026-06-01T12:00:00.000Z', expired: false, notYetValid: false, anchored: null });
    });

    it('reads an EC P-256 leaf signed by an EC intermediate, and the intermediate', () => {
      const [leaf, intermediate] = analyse(certs.leafEc.chainDers).certificates;
      expect(leaf).to.include({
        subject: 'O=jcstar tests, CN=camera-ec.jcstar.test',
        issuer: 'O=jcstar tests, CN=jcstar test intermediate CA',
        keyType: 'EC',
        keyBits: 256,
        curve: 'prime256v1',
        signatureAlgorithm: 'ecdsa-with-SHA256',
        signatureHash: 'sha256',
        selfSigned: false,
      });
      expect(leaf!.subjectAltNames).to.deep.equal(['IP:127.0.0.1']);
      expect(intermediate).to.include({ keyType: 'EC', keyBits: 256, curve: 'prime256v1', signatureAlgorithm: 'sha256WithRSAEncryption', selfSigned: false });
      expect(intermediate!.subjectAltNames).to.deep.equal([]);
    });

    it('reads the dates of an expired certificate and says it expired', () => {
      const chain = analyse([certs.expired.der]);
      expect(chain.certificates[0]).to.include({ notBefore: EXPIRED_VALIDITY.notBefore, notAfter: '2024-01-01T00:00:00.000Z' });
      expect(chain).to.include({ expired: true, notYetValid: false });
    });

    it('says a certificate is not yet valid before its start, and valid on its last second', () => {
      expect(analyse([certs.leaf.der], { now: new Date('2024-12-31T23:59:59.000Z') })).to.include({ expired: false, notYetValid: true });
      expect(analyse([certs.leaf.der], { now: new Date(VALIDITY.notAfter) })).to.include({ expired: false, notYetValid: false });
      expect(analyse([certs.leaf.der], { now: new Date('2050-01-01T00:00:01.000Z') })).to.include({ expired: true, notYetValid: false });
    });

    it('recognises self-signed certificates: the device one, the root and an Ed25519 one', () => {
      expect(analyse([certs.selfSigned.der]).certificates[0]).to.include({
        subject: 'O=jcstar tests, CN=self-signed.jcstar.test',
        issuer: 'O=jcstar tests, CN=self-signed.jcstar.test',
        selfSigned: true,
        keyType: 'RSA',
        keyBits: 2048,
      });
      expect(analyse([certs.root.der]).certificates[0]).to.include({ selfSigned: true, serialNumber: '1000' });
      expect(analyse([certs.ed25519.der]).certificates[0]).to.include({
        keyType: 'Ed25519',
        keyBits: 256,
        curve: null,
        signatureAlgorithm: 'Ed25519',
        signatureHash: null,
        selfSigned: true,
      });
    });

    it('reads a weak RSA 1024 key with a SHA-1 signature', () => {
      expect(analyse([certs.weak.der]).certificates[0]).to.include({ keyType: 'RSA', keyBits: 1024, signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'sha1' });
    });

    it('reads the hash of an RSASSA-PSS signature from its parameters', () => {
      expect(analyse([certs.pss.der]).certificates[0]).to.include({ signatureAlgorithm: 'RSASSA-PSS', signatureHash: 'sha384', keyBits: 2048 });
    });
  });

  describe('host match', () => {
    const cases: [string, boolean][] = [
      ['127.0.0.1', true],
      ['127.0.0.2', false],
      ['::1', false],
      ['camera.jcstar.test', true],
      ['CAMERA.JCSTAR.TEST', true],
      ['a.fleet.jcstar.test', true],
      ['a.b.fleet.jcstar.test', false],
      ['fleet.jcstar.test', false],
      ['other.jcstar.test', false],
    ];
    for (const [host, matches] of cases) {
      it(`${host} ${matches ? 'matches' : 'does not match'} the leaf's SAN`, () => {
        expect(analyse([certs.leaf.der], { host }).hostMatches).to.equal(matches);
      });
    }

    it('uses the CN only without a SAN extension, and never for an IP', () => {
      expect(analyse([certs.cnOnly.der]).certificates[0]!.subjectAltNames).to.deep.equal([]);
      expect(analyse([certs.cnOnly.der], { host: 'camera.jcstar.test' }).hostMatches).to.equal(true);
      expect(analyse([certs.cnOnly.der], { host: '127.0.0.1' }).hostMatches).to.equal(false);
      // leafEc's CN is camera-ec.jcstar.test, but its SAN lists only an IP.
      expect(analyse([certs.leafEc.der], { host: 'camera-ec.jcstar.test' }).hostMatches).to.equal(false);
    });
  });

  describe('chain order', () => {
    it('is ok when each certificate is issued by the next, root included or not', () => {
      expect(analyse(certs.leafEc.chainDers).order).to.equal('ok');
      expect(analyse([...certs.leafEc.chainDers, certs.root.der]).order).to.equal('ok');
      expect(analyse([certs.leaf.der, certs.root.der]).order).to.equal('ok');
    });

    it('is misordered when a certificate is not issued by the next', () => {
      expect(certs.misordered.chainDers).to.have.length(3);
      expect(analyse(certs.misordered.chainDers).order).to.equal('misordered');
      expect(analyse([certs.leaf.der, certs.intermediate.der]).order).to.equal('misordered');
    });

    it('is unknown when the order was not visible', () => {
      expect(analyse(certs.misordered.chainDers, { orderVisible: false }).order).to.equal('unknown');
    });
  });

  describe('trust anchors', () => {
    it('is null when the profile names no anchor', () => {
      expect(analyse(certs.leafEc.chainDers).anchored).to.equal(null);
    });

    it('follows the chain, in any order, to a certificate the anchor issued', () => {
      const trustAnchors = [certs.root.der];
      expect(analyse([certs.leaf.der], { trustAnchors }).anchored).to.equal(true);
      expect(analyse(certs.leafEc.chainDers, { trustAnchors }).anchored).to.equal(true);
      expect(analyse(certs.misordered.chainDers, { trustAnchors }).anchored).to.equal(true);
      // Without its intermediate the EC leaf has no path to the root.
      expect(analyse([certs.leafEc.der], { trustAnchors }).anchored).to.equal(false);
      expect(analyse([certs.leafEc.der], { trustAnchors: [certs.intermediate.der] }).anchored).to.equal(true);
    });

    it('accepts a pinned certificate and refuses a stranger', () => {
      expect(analyse([certs.selfSigned.der], { trustAnchors: [certs.selfSigned.der] }).anchored).to.equal(true);
      expect(analyse([certs.selfSigned.der], { trustAnchors: [certs.root.der] }).anchored).to.equal(false);
      expect(analyse([certs.leaf.der], { trustAnchors: [certs.intermediate.der] }).anchored).to.equal(false);
    });

    it('does not let a device certificate, which is no CA, vouch for another', () => {
      const chain = analyse(certs.forged.chainDers, { trustAnchors: [certs.root.der] });
      expect(chain.certificates.map((c) => c.issuer)).to.deep.equal(['O=jcstar tests, CN=camera.jcstar.test', 'O=jcstar tests, CN=jcstar test root CA']);
      // Names and signatures are in order; only basicConstraints CA:false breaks the path.
      expect(chain.order).to.equal('ok');
      expect(chain.anchored).to.equal(false);
    });
  });

  describe('garbage', () => {
    it('throws a CertificateParseError naming the unreadable certificate', () => {
      const leaf = certs.leaf.der;
      const cases: [string, Buffer[], number][] = [
        ['random bytes', [randomBytes(300)], 0],
        ['a truncated certificate', [leaf.subarray(0, 200)], 0],
        ['trailing bytes', [Buffer.concat([leaf, Buffer.from([0])])], 0],
        ['a DER sequence that is no certificate', [Buffer.from('3003020101', 'hex')], 0],
        ['a PEM text instead of DER', [Buffer.from(`-----BEGIN CERTIFICATE-----\n${leaf.toString('base64')}\n-----END CERTIFICATE-----\n`)], 0],
        ['a good leaf followed by garbage', [leaf, randomBytes(64)], 1],
      ];
      for (const [what, ders, index] of cases) {
        const err = parseError(() => analyse(ders));
        expect({ what, source: err.source, index: err.index }).to.deep.equal({ what, source: 'chain', index });
        expect(err.message, what).to.match(new RegExp(`^certificate #${index + 1} of the chain is not an X\\.509 certificate: .+`));
      }
    });

    it('throws for an empty or overlong chain and for an unreadable trust anchor', () => {
      expect(parseError(() => analyse([]))).to.include({ source: 'chain', index: null, message: 'the chain is empty' });
      const overlong = parseError(() => analyse(Array(MAX_CHAIN_LENGTH + 1).fill(certs.leaf.der)));
      expect(overlong).to.include({ source: 'chain', index: null, message: 'the chain holds 33 certificates, more than the 32 analysed' });
      const anchor = parseError(() => analyse([certs.leaf.der], { trustAnchors: [certs.root.der, Buffer.from('not a certificate')] }));
      expect(anchor).to.include({ source: 'trust-anchor', index: 1 });
      expect(anchor.message).to.match(/^trust anchor #2 is not an X\.509 certificate: /);
    });
  });
});
