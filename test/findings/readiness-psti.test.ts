import { expect } from 'chai';
import { loadCatalogue } from '../../harness/catalogue/load.js';
import type { EvidenceRecord } from '../../harness/evidence/records.js';
import { deriveFindings } from '../../harness/findings/derive.js';
import { renderHtml } from '../../harness/reporters/html.js';
import { DEEMED_MET, PSTI_EQUIVALENT, recognise } from '../../harness/results/recognition.js';
import type { EvidenceItem, Results } from '../../harness/results/schema.js';
import { rollUp } from '../../harness/verdicts/rollup.js';
import { sampleResults } from '../fixtures/results/sample.js';

const PSTI = { statementOfCompliance: 'docs/psti-statement.pdf', issuedOn: '2026-06-01' };
const STATEMENT = { name: 'psti-statement.pdf', path: 'artifacts/documents/psti-statement.pdf', sha256: 'a'.repeat(64), bytes: 2048, mediaType: 'application/pdf' };

/**
 * The sample camera as a run whose profile declares UK PSTI compliance: each psti-equivalent requirement
 * gets the statement check a real run plans (MANUAL: a person checks it covers the model) and is rolled up
 * and recognised as results.json is built. S1.1-02 keeps its FAIL (telnet accepted a default password).
 */
function sampleWithPstiRecognition(): Results {
  const results: Results = structuredClone(sampleResults);
  for (const entry of loadCatalogue().requirements.filter((r) => r.tags.includes(PSTI_EQUIVALENT))) {
    const id = `${entry.id}/psti/statement-of-compliance`;
    const at = '2026-11-20T09:01:03.400Z';
    const attached: EvidenceItem = {
      seq: 900 + results.checks.length, at, kind: 'note', summary: `attached ${PSTI.statementOfCompliance}`,
      target: null, sent: null, received: null, artifacts: [STATEMENT], data: { declaration: 'pstiCompliance' },
    };
    results.checks.push({
      id, requirement: entry.id, title: `UK PSTI statement of compliance, which IPA deems to meet ${entry.id}`, mandatory: true, basis: 'declared',
      verdict: 'MANUAL', reason: 'declared, not observed: a person must check that it covers Example Devices K.K. IPC-200 (firmware 2.4.1)',
      warnings: [], target: null, startedAt: at, finishedAt: at, durationMs: 1, evidence: [attached],
    });
    const own = results.checks.filter((c) => c.requirement === entry.id);
    const record: EvidenceRecord = { type: 'evidence', checkId: id, requirement: entry.id, ...attached };
    const { rollup, recognition } = recognise(entry, rollUp(own, { hasDeclarations: true, evaluation: entry.evaluation }), { pstiCompliance: PSTI }, [record], true);
    const requirement = results.requirements.find((r) => r.id === entry.id)!;
    Object.assign(requirement, { verdict: rollup.verdict, reason: rollup.reason, checks: own.map((c) => c.id), declarations: [...requirement.declarations, 'pstiCompliance'], recognition });
  }
  return results;
}

describe('label readiness beside a UK PSTI recognition (S1.1-02, -05, -16)', () => {
  const results = sampleWithPstiRecognition();
  const byId = Object.fromEntries(results.requirements.map((r) => [r.id, r]));
  const { ready, findings, review } = deriveFindings(results);

  it('builds the run it means to: -05 and -16 deemed met over a statement left for a person, -02 still FAIL', () => {
    for (const id of ['S1.1-05', 'S1.1-16']) {
      expect(byId[id]!.verdict, id).to.equal('PASS');
      // On their own they are MANUAL: only the recognition keeps them off the list to review.
      expect(byId[id]!.reason, id).to.match(new RegExp(`^${DEEMED_MET.replace(/[()]/g, '\\$&')} \\(artifacts/documents/psti-statement\\.pdf, sha256 a{64}\\); on its own: MANUAL, `));
      expect(byId[id]!.recognition?.scheme, id).to.equal('UK PSTI');
    }
    expect(byId['S1.1-02']!.verdict).to.equal('FAIL');
    expect(byId['S1.1-02']!.reason).to.match(/^a finding contradicts the declared UK PSTI statement of compliance, so it is not deemed met: 1 check\(s\) failed: S1\.1-02\.default-credentials\.telnet: /);
    expect(byId['S1.1-02']!.recognition?.scheme).to.equal('UK PSTI');
  });

  it('lists no requirement deemed met as a finding or an item to review', () => {
    const listed = [...findings.map((f) => f.requirement), ...review.map((q) => q.requirement)];
    expect(listed).to.not.include('S1.1-05');
    expect(listed).to.not.include('S1.1-16');
    // The rest of the run's MANUAL requirements are still there to review.
    expect(review.map((q) => q.requirement)).to.include('S1.1-01');
  });

  it('keeps the FAIL beside a recognition a finding, and the run not ready', () => {
    expect(findings.map((f) => [f.requirement, f.checkId])).to.deep.equal([
      ['S1.1-02', 'S1.1-02.default-credentials.telnet'],
      ['S1.1-12', 'S1.1-12.cleartext-login'],
    ]);
    expect(review.map((q) => q.requirement)).to.not.include('S1.1-02');
    expect(ready).to.equal(false);
  });

  it('shows the same in report.html: S1.1-02 among the findings, -05 and -16 nowhere in label readiness', () => {
    const page = renderHtml(results);
    const start = page.indexOf('<section id="readiness">');
    const section = page.slice(start, page.indexOf('</section>', start));
    expect(section).to.include('<a href="#req-S1.1-02">S1.1-02</a>');
    expect(section).to.not.include('#req-S1.1-05');
    expect(section).to.not.include('#req-S1.1-16');
  });
});
