import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { compareRuns } from '../../harness/diff/compare.js';
import { readResults } from '../../harness/results/read.js';
import { deriveFindings } from '../../harness/findings/derive.js';
import { startSimulatedDevice } from '../../harness/simulator/device.js';
import { jcstar } from '../support/cli.js';
import { runProfile } from '../support/run-profile.js';

/** The requirements whose checks the insecure demo fails without hands-on tests; the others would only slow the test. */
const ONLY = ['S1.1-01', 'S1.1-02', 'S1.1-12', 'S1.1-13'];

async function demoRun(mode: 'secure' | 'insecure'): Promise<string> {
  const device = await startSimulatedDevice({ mode });
  try {
    const { document, env } = device.profileDocument();
    return (await runProfile(document, { env, only: ONLY })).runDir;
  } finally {
    await device.close();
  }
}

const DH_GROUP1 = 'S1.1-12/crypto/ssh ssh.kex kex diffie-hellman-group1-sha1';

describe('jcstar diff and the readiness section on the demo devices, before and after the fix', function () {
  this.timeout(240000);
  let insecure: string;
  let secure: string;
  before(async () => {
    insecure = await demoRun('insecure');
    secure = await demoRun('secure');
  });

  it('insecure → secure: the undeclared debug shell, the defaults and the legacy SSH kex are fixed; exit 0', async () => {
    const diff = compareRuns({ dir: insecure, results: readResults(insecure) }, { dir: secure, results: readResults(secure) });
    const fixed = diff.findings.fixed.map((f) => f.key);
    // Most severe first: the factory Telnet and the defaults are critical, the SSH algorithms and plaintext high, MD5 medium.
    expect(fixed).to.deep.equal([
      'S1.1-01/interface-inventory/tcp 2323/tcp',
      'S1.1-01/unauthenticated-access/undeclared-telnet-2323',
      'S1.1-02/default-credentials/ssh',
      'S1.1-02/default-credentials/telemetry',
      'S1.1-02/default-credentials/web-admin',
      'S1.1-12/plaintext/undeclared-telnet-2323',
      'S1.1-13/unused-interfaces/inventory 2323/tcp',
      'S1.1-12/crypto/ssh ssh.encryption encryption 3des-cbc',
      DH_GROUP1,
      'S1.1-12/plaintext/telemetry',
      'S1.1-12/plaintext/web-admin',
      'S1.1-12/crypto/ssh ssh.mac mac hmac-md5',
    ]);
    expect(diff.findings.new).to.deep.equal([]);
    expect(diff.findings.unchanged).to.deep.equal([]);
    expect(diff.newFails).to.deep.equal([]);
    expect(diff.regression).to.equal(false);
    const cli = await jcstar(['diff', insecure, secure]);
    expect(cli.code).to.equal(0);
    expect(cli.stdout).to.include(`Findings: ${fixed.length} fixed, 0 new, 0 unchanged\n`);
  });

  it('secure → insecure: exit 1, naming the new FAILs', async () => {
    const diff = compareRuns({ dir: secure, results: readResults(secure) }, { dir: insecure, results: readResults(insecure) });
    // Requirements first, then checks in the secure run's order, then the checks only the insecure run has.
    expect(diff.newFails).to.deep.equal([
      ...ONLY,
      'S1.1-01/interface-inventory/tcp',
      'S1.1-02/default-credentials/web-admin',
      'S1.1-02/default-credentials/ssh',
      'S1.1-02/default-credentials/telemetry',
      'S1.1-12/crypto/ssh',
      'S1.1-13/unused-interfaces/inventory',
      'S1.1-01/unauthenticated-access/undeclared-telnet-2323',
      'S1.1-12/plaintext/web-admin',
      'S1.1-12/plaintext/telemetry',
      'S1.1-12/plaintext/undeclared-telnet-2323',
    ]);
    expect(diff.findings.new).to.have.length(12);
    expect(diff.checks.find((c) => c.id === 'S1.1-01/unauthenticated-access/undeclared-telnet-2323')).to.deep.equal({
      id: 'S1.1-01/unauthenticated-access/undeclared-telnet-2323', change: 'added', before: null, after: 'FAIL',
    });
    const cli = await jcstar(['diff', secure, insecure]);
    expect(cli.code).to.equal(1);
    expect(cli.stdout).to.include(`Regression: ${diff.regressions.length} reason(s)\n${diff.regressions.map((why) => `  ${why}\n`).join('')}`);
    for (const id of diff.newFails) expect(diff.regressions.some((why) => why.startsWith(`${id}: `)), id).to.equal(true);
  });

  it("the insecure run's report.html opens with its findings to fix and their remedies", () => {
    const page = readFileSync(join(insecure, 'report.html'), 'utf8');
    const { findings, review } = deriveFindings(readResults(insecure));
    const start = page.indexOf('<section id="readiness">');
    const section = page.slice(start, page.indexOf('</section>', start));
    expect(page.indexOf('<section')).to.equal(start);
    expect(findings).to.have.length(12);
    // A run of some requirements is no application: each one left out is to review.
    const unselected = ['03', '04', '05', '06', '07', '08', '09', '10', '11', '14', '15', '16'].map((n) => `S1.1-${n}`);
    expect(review.map((q) => [q.requirement, q.verdict, q.reason])).to.deep.equal(unselected.map((id) => [id, 'INCONCLUSIVE', 'not selected in this run (--only)']));
    expect(section).to.include('<strong>12 findings to fix, 12 items to review</strong>');
    const remedies = [...section.matchAll(/<td class="remedy">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(remedies.slice(0, 3)).to.deep.equal([
      'turn off the factory Telnet on 2323/tcp',
      'turn off the undeclared telnet on 2323/tcp, or require authentication on it and declare it',
      'remove the universal default password from ssh: unique per device, or set by the user at first use',
    ]);
    expect(remedies).to.have.length(12);
    expect(remedies).to.include('remove 1024-bit Diffie-Hellman from ssh; use curve25519 or groups of 2048 bits or more');
  });
});
