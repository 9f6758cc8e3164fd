import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { buildStatement } from '../../harness/bundle/statement.js';
import type { Results } from '../../harness/results/schema.js';
import type { Verdict } from '../../harness/verdicts/verdict.js';
import { interrupted, sampleResults } from '../fixtures/results/sample.js';

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
      { name: 'run status', uri: 'urn:jcstar:run-status:complete' },
    ]);
  });

  it('lists each requirement and each check: PASS passed, FAIL and ERROR failed, the rest warned; any failed makes it FAILED', () => {
    const p = statement.predicate;
    expect(p.result).to.equal('FAILED');
    expect(p.passedTests).to.deep.equal([
      'requirement:S1.1-05', 'requirement:S1.1-16',
      'S1.1-01.open-services-authenticated', 'S1.1-02.default-credentials.http', 'S1.1-05.vdp-declared', 'S1.1-12.tls-versions', 'S1.1-16.support-period-declared',
    ]);
    expect(p.failedTests).to.deep.equal([
      'requirement:S1.1-02', 'requirement:S1.1-08', 'requirement:S1.1-12',
      'S1.1-02.default-credentials.telnet', 'S1.1-08.unsigned-image-rejected', 'S1.1-12.cleartext-login',
    ]);
    expect(p.warnedTests).to.deep.equal([
      'requirement:S1.1-01', 'requirement:S1.1-03', 'requirement:S1.1-04', 'requirement:S1.1-06', 'requirement:S1.1-07', 'requirement:S1.1-09',
      'requirement:S1.1-10', 'requirement:S1.1-11', 'requirement:S1.1-13', 'requirement:S1.1-14', 'requirement:S1.1-15',
      'S1.1-01.access-paths-declared', 'S1.1-04.lockout.http', 'S1.1-06.update-mechanism-declared', 'S1.1-12.mqtt-plaintext',
      'S1.1-14.credentials-kept-after-reboot', 'S1.1-15.reset-clears-wifi', 'S1.1-15.deletion-method-declared',
    ]);
  });

  /** The sample with each requirement's verdict from `verdictOf` and only the checks whose verdict is in `checkVerdicts`. */
  function judged(verdictOf: (id: string) => Verdict, checkVerdicts: Verdict[]): Results {
    return {
      ...sampleResults,
      requirements: sampleResults.requirements.map((r) => ({ ...r, verdict: verdictOf(r.id) })),
      checks: sampleResults.checks.filter((c) => checkVerdicts.includes(c.verdict)),
    };
  }
  const all = (verdict: Verdict) => () => verdict;
  const except = (id: string, verdict: Verdict, others: Verdict) => (r: string) => (r === id ? verdict : others);
  const resultOf = (results: Results) => buildStatement(Buffer.from(''), Buffer.from(''), results).predicate.result;

  it('is PASSED only for a complete run whose every requirement is PASS or NOT_APPLICABLE, with no failing check', () => {
    expect(resultOf(judged(all('PASS'), ['PASS']))).to.equal('PASSED');
    expect(resultOf(judged(except('S1.1-09', 'NOT_APPLICABLE', 'PASS'), ['PASS']))).to.equal('PASSED');
    expect(resultOf(judged(all('PASS'), ['PASS', 'FAIL']))).to.equal('FAILED');
    expect(resultOf(judged(except('S1.1-08', 'ERROR', 'PASS'), ['PASS']))).to.equal('FAILED');
  });

  it('is no PASSED when a requirement failed, though every remaining check passed', () => {
    expect(resultOf({ ...sampleResults, checks: sampleResults.checks.filter((c) => c.verdict === 'PASS') })).to.equal('FAILED');
  });

  it('is WARNED for requirements left INCONCLUSIVE or MANUAL with no check, a --only run, and an unfinished run', () => {
    expect(resultOf(judged(all('INCONCLUSIVE'), []))).to.equal('WARNED');
    expect(resultOf(judged(except('S1.1-03', 'MANUAL', 'PASS'), ['PASS']))).to.equal('WARNED');
    expect(resultOf(judged(except('S1.1-04', 'PASS', 'INCONCLUSIVE'), ['PASS']))).to.equal('WARNED');
    const aborted: Results = { ...judged(all('PASS'), []), run: { id: 'r', status: 'aborted', statusReason: 'the target was unreachable' } };
    expect(resultOf(aborted)).to.equal('WARNED');
    expect(buildStatement(Buffer.from(''), Buffer.from(''), aborted).predicate.configuration.at(-1)).to.deep.equal({ name: 'run status', uri: 'urn:jcstar:run-status:aborted' });
    expect(resultOf(interrupted(judged(all('PASS'), ['PASS'])))).to.equal('WARNED');
    expect(resultOf({ ...judged(all('PASS'), ['PASS']), requirements: [] })).to.equal('WARNED');
  });
});
