import { createHash } from 'node:crypto';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEEMED_MET } from '../../harness/results/recognition.js';
import S1_1_02 from '../../suites/S1.1-02-default-password.js';
import S1_1_03 from '../../suites/S1.1-03-authentication-change.js';
import S1_1_05 from '../../suites/S1.1-05-vulnerability-disclosure.js';
import S1_1_16 from '../../suites/S1.1-16-product-information.js';
import { validateResultsJson } from '../support/results-schema.js';
import { DEVICE, runProfile, tempDir } from '../support/run-profile.js';

const STATEMENT = Buffer.from('%PDF-1.4 UK PSTI statement of compliance, ACME TEST-1\n');
const SHA256 = createHash('sha256').update(STATEMENT).digest('hex');
const SUITES = [S1_1_02, S1_1_03, S1_1_05, S1_1_16];

function declarations(statement: string | null, endsOn = '2999-03-31') {
  return {
    defaultPasswordScheme: { scheme: 'user-set-at-first-use' },
    authenticationChange: { procedure: 'Settings > Users > Change password' },
    vulnerabilityDisclosurePolicy: { url: 'https://acme.example/psirt', contact: 'psirt@acme.example', acknowledgeWithinDays: 5, statusUpdateEveryDays: 30 },
    supportPeriod: { endsOn, url: 'https://acme.example/support' },
    productInformation: { modelDesignation: 'ACME TEST-1' },
    ...(statement ? { pstiCompliance: { statementOfCompliance: statement, issuedOn: '2026-06-01' } } : {}),
  };
}

async function run(decl: Record<string, unknown>) {
  const { runDir, results } = await runProfile({ device: DEVICE, target: { host: '127.0.99.23' }, scope: ['127.0.99.23/32'], declarations: decl }, { suites: SUITES, only: ['S1.1-02', 'S1.1-03', 'S1.1-05', 'S1.1-16'] });
  const byId = Object.fromEntries(results.requirements.map((r) => [r.id, r]));
  return { runDir, results, byId };
}

describe('UK PSTI: S1.1-02, -05 and -16 deemed met under IPA mutual recognition', () => {
  let statement: string;
  before(() => {
    statement = join(tempDir(), 'psti-statement.pdf');
    writeFileSync(statement, STATEMENT);
  });

  it('marks the psti-equivalent requirements PASS, deemed met, with the statement attached and hashed', async () => {
    const { runDir, results, byId } = await run(declarations(statement));
    expect(validateResultsJson(JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')))).to.deep.equal([]);
    for (const id of ['S1.1-02', 'S1.1-05', 'S1.1-16']) {
      const requirement = byId[id]!;
      expect(requirement.verdict, id).to.equal('PASS');
      expect(requirement.reason, id).to.match(new RegExp(`^deemed met: UK PSTI statement of compliance \\(IPA mutual recognition\\), not observed \\(artifacts/\\S+-psti-statement\\.pdf, sha256 ${SHA256}\\); on its own: MANUAL, `));
      expect(requirement.recognition, id).to.deep.include({ scheme: 'UK PSTI', issuedOn: '2026-06-01', note: DEEMED_MET });
      expect(requirement.recognition!.statement, id).to.deep.include({ sha256: SHA256, declared: statement });
      expect(createHash('sha256').update(readFileSync(join(runDir, requirement.recognition!.statement!.path))).digest('hex'), id).to.equal(SHA256);
      expect(requirement.declarations, id).to.include('pstiCompliance');
      const check = results.checks.find((c) => c.id === `${id}/psti/statement-of-compliance`)!;
      expect(check.verdict, id).to.equal('MANUAL');
      expect(check.basis, id).to.equal('declared');
      expect(check.reason, id).to.equal(`declared, not observed: UK PSTI statement of compliance ${statement} (sha256 ${SHA256}, issued 2026-06-01); a person must check that it covers ACME TEST-1 (firmware 1.0.0)`);
    }
    expect(byId['S1.1-03']!.recognition).to.equal(null);
    expect(byId['S1.1-03']!.verdict).to.equal('MANUAL');
  });

  it('still FAILs a requirement a finding contradicts (a support period already over)', async () => {
    const { byId } = await run(declarations(statement, '2020-03-31'));
    expect(byId['S1.1-16']!.verdict).to.equal('FAIL');
    expect(byId['S1.1-16']!.reason).to.match(/^a finding contradicts the declared UK PSTI statement of compliance, so it is not deemed met: 1 check\(s\) failed: S1\.1-16\/support-period\/completeness: /);
    expect(byId['S1.1-16']!.recognition?.statement?.sha256).to.equal(SHA256);
    expect(byId['S1.1-05']!.verdict).to.equal('PASS');
  });

  it('deems nothing met when the statement cannot be attached to the evidence (over the size limit): INCONCLUSIVE', async () => {
    const large = join(tempDir(), 'psti-statement-large.pdf');
    writeFileSync(large, STATEMENT);
    truncateSync(large, 33 * 1024 * 1024);
    const { byId, results } = await run(declarations(large));
    for (const id of ['S1.1-02', 'S1.1-05', 'S1.1-16']) {
      expect(byId[id]!.verdict, id).to.equal('INCONCLUSIVE');
      expect(byId[id]!.reason, id).to.match(/^UK PSTI compliance is declared, but its statement of compliance is not in the evidence, so it is not deemed met; on its own: INCONCLUSIVE, /);
      expect(byId[id]!.recognition!.statement, id).to.equal(null);
      expect(results.checks.find((c) => c.id === `${id}/psti/statement-of-compliance`)!.reason, id).to.contain('over the 33554432-byte limit for an attached document');
    }
  });

  it('recognises nothing without a PSTI declaration', async () => {
    const { byId } = await run(declarations(null));
    expect(byId['S1.1-05']!.recognition).to.equal(null);
    expect(byId['S1.1-05']!.verdict).to.equal('MANUAL');
    expect(byId['S1.1-16']!.verdict).to.equal('MANUAL');
    expect(byId['S1.1-05']!.reason).to.equal('nothing to test on the device; 1 declaration(s) to review: S1.1-05/vulnerability-disclosure/declaration');
  });
});
