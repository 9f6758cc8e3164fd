import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { buildStatement } from '../../harness/bundle/statement.js';
import { sampleResults } from '../fixtures/results/sample.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('in-toto test-result statement', () => {
  const statement = buildStatement(Buffer.from('manifest'), Buffer.from('profile'), sampleResults);

  it('names the manifest as its subject and the profile and rule versions as its configuration', () => {
    expect(statement._type).to.equal('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).to.equal('https://in-toto.io/attestation/test-result/v0.1');
    expect(statement.subject).to.deep.equal([{ name: 'manifest.json', digest: { sha256: sha('manifest') } }]);
    expect(statement.predicate.configuration).to.deep.equal([
      { name: 'profile.yaml', digest: { sha256: sha('profile') } },
      { name: 'jcstar catalogue rules', uri: 'urn:jcstar:catalogue:star1%201.1-jcstar.1' },
      { name: 'jcstar policy rules', uri: 'urn:jcstar:policy:policy-2026.11' },
      { name: 'jcstar', uri: 'urn:jcstar:tool:0.1.0' },
    ]);
  });

  it('maps PASS to passed, FAIL and ERROR to failed, the rest to warned; any failed makes it FAILED', () => {
    const p = statement.predicate;
    expect(p.result).to.equal('FAILED');
    expect(p.passedTests).to.deep.equal([
      'S1.1-01.open-services-authenticated', 'S1.1-02.default-credentials.http', 'S1.1-05.vdp-declared', 'S1.1-12.tls-versions', 'S1.1-16.support-period-declared',
    ]);
    expect(p.failedTests).to.deep.equal(['S1.1-02.default-credentials.telnet', 'S1.1-08.unsigned-image-rejected', 'S1.1-12.cleartext-login']);
    expect(p.warnedTests).to.deep.equal([
      'S1.1-01.access-paths-declared', 'S1.1-04.lockout.http', 'S1.1-06.update-mechanism-declared', 'S1.1-12.mqtt-plaintext',
      'S1.1-14.credentials-kept-after-reboot', 'S1.1-15.reset-clears-wifi', 'S1.1-15.deletion-method-declared',
    ]);
  });

  it('is WARNED with no failure but a warning, PASSED with passes only', () => {
    const only = (verdicts: string[]) => ({ ...sampleResults, checks: sampleResults.checks.filter((c) => verdicts.includes(c.verdict)) });
    expect(buildStatement(Buffer.from(''), Buffer.from(''), only(['PASS', 'MANUAL'])).predicate.result).to.equal('WARNED');
    expect(buildStatement(Buffer.from(''), Buffer.from(''), only(['PASS'])).predicate.result).to.equal('PASSED');
  });
});
