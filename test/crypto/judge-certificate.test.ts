import { expect } from 'chai';
import type { CryptoFinding } from '../../harness/crypto/finding.js';
import { judgeCertificate } from '../../harness/crypto/judge-certificate.js';
import { CA, certificate, chain, rulesWith } from './observations.js';

const HOST = '192.0.2.10';
const judged = (c: ReturnType<typeof chain>, rules = rulesWith()) => judgeCertificate(c, rules, HOST).map((f: CryptoFinding) => [f.rule, f.item, f.severity]);

describe('crypto judge: certificate chain', () => {
  it('finds nothing in a valid, anchored ECDSA P-256 chain that names the host', () => {
    expect(judged(chain())).to.deep.equal([]);
  });

  it('always fails an expired or not-yet-valid certificate, with the date, whatever the profile says of trust', () => {
    const lenient = rulesWith({}, [{ rule: 'certificate.forbiddenSignatureHashes', value: 'sha1', justification: 'irrelevant to validity' }]);
    expect(judged(chain({ expired: true, certificates: [certificate({ notAfter: '2024-01-01T00:00:00.000Z' }), CA] }), lenient)).to.deep.equal([
      ['certificate.validity', 'certificate expired on 2024-01-01', 'fail'],
    ]);
    expect(judged(chain({ notYetValid: true, certificates: [certificate({ notBefore: '2030-06-01T12:00:00.000Z' }), CA] }))).to.deep.equal([
      ['certificate.validity', 'certificate not valid before 2030-06-01', 'fail'],
    ]);
  });

  it('names an expired intermediate by its subject, and the leaf when only the flag says expired', () => {
    const intermediate = certificate({ subject: 'CN=Example Issuing CA', notAfter: '2025-03-31T23:59:59.000Z', keyType: 'RSA', keyBits: 2048, curve: null });
    expect(judged(chain({ expired: true, certificates: [certificate(), intermediate, CA] }))).to.deep.equal([
      ['certificate.validity', 'chain certificate "CN=Example Issuing CA" expired on 2025-03-31', 'fail'],
    ]);
    expect(judged(chain({ expired: true }))).to.deep.equal([['certificate.validity', 'certificate expired on 2027-01-01', 'fail']]);
  });

  it('fails small keys and DSA keys, and asks for review of a key it could not read', () => {
    expect(judged(chain({ certificates: [certificate({ keyType: 'RSA', keyBits: 1024, curve: null, signatureAlgorithm: 'sha256WithRSAEncryption' }), CA] }))).to.deep.equal([
      ['certificate.minRsaBits', 'certificate RSA key of 1024 bits', 'fail'],
    ]);
    expect(judged(chain({ certificates: [certificate({ keyBits: 224, curve: 'secp224r1' }), CA] }))).to.deep.equal([
      ['certificate.minEcBits', 'certificate EC key of 224 bits (secp224r1)', 'fail'],
    ]);
    expect(judged(chain({ certificates: [certificate({ keyType: 'DSA', keyBits: 2048, curve: null }), CA] }))).to.deep.equal([['certificate.keyTypes', 'certificate DSA key', 'fail']]);
    expect(judged(chain({ certificates: [certificate({ keyType: 'unknown', keyBits: null, curve: null }), CA] }))).to.deep.equal([
      ['certificate.keyTypes', 'certificate key of a type jcstar cannot read', 'unread'],
    ]);
    expect(judged(chain({ certificates: [certificate({ keyType: 'Ed25519', keyBits: 253, curve: null, signatureHash: null }), CA] }))).to.deep.equal([]);
  });

  it('fails a SHA-1 or MD5 signature anywhere but on a self-signed trust anchor', () => {
    const sha1Leaf = certificate({ signatureAlgorithm: 'ecdsa-with-SHA1', signatureHash: 'sha1' });
    const md5Root = { ...CA, signatureAlgorithm: 'md5WithRSAEncryption', signatureHash: 'md5' };
    const sha1Intermediate = certificate({ subject: 'CN=Issuing CA', signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'sha1' });
    expect(judged(chain({ certificates: [sha1Leaf, sha1Intermediate, md5Root] }))).to.deep.equal([
      ['certificate.forbiddenSignatureHashes', 'certificate signed with sha1 (ecdsa-with-SHA1)', 'fail'],
      ['certificate.forbiddenSignatureHashes', 'chain certificate "CN=Issuing CA" signed with sha1 (sha1WithRSAEncryption)', 'fail'],
    ]);
    const permitted = rulesWith({}, [{ rule: 'certificate.forbiddenSignatureHashes', value: 'sha1', justification: 'vendor CA re-issues in 2027; tracked as ticket 42' }]);
    expect(judged(chain({ certificates: [sha1Leaf, CA] }), permitted)).to.deep.equal([]);
    expect(judged(chain({ certificates: [certificate({ signatureHash: 'sha224', signatureAlgorithm: 'ecdsa-with-SHA224' }), CA] }), rulesWith({ certificate: { forbiddenSignatureHashes: ['md5', 'sha1', 'sha224'] } }))).to.deep.equal([
      ['certificate.forbiddenSignatureHashes', 'certificate signed with sha224 (ecdsa-with-SHA224)', 'fail'],
    ]);
  });

  it('puts an unanchored self-signed certificate and a host mismatch up for review, or fails them when the profile restricts', () => {
    const selfSigned = chain({ certificates: [certificate({ selfSigned: true, issuer: 'CN=cam.example', subjectAltNames: [] })], anchored: false, hostMatches: false });
    expect(judged(selfSigned)).to.deep.equal([
      ['certificate.untrusted', 'certificate chain not anchored in a trust anchor the profile names (self-signed)', 'review'],
      ['certificate.hostMismatch', `certificate does not name ${HOST} (it names CN=cam.example)`, 'review'],
    ]);
    const strict = rulesWith({ certificate: { untrusted: 'fail', hostMismatch: 'fail' } });
    expect(judged(selfSigned, strict).map(([, , severity]) => severity)).to.deep.equal(['fail', 'fail']);
  });

  it('leaves trust to a person when the profile names no anchor: a certificate nobody can authenticate protects nothing', () => {
    expect(judged(chain({ anchored: null }))).to.deep.equal([
      ['certificate.untrusted', 'no trust anchor declared (services[].trustAnchors), so whether clients can authenticate this certificate is unknown', 'review'],
    ]);
  });
});
