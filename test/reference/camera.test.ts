import { expect } from 'chai';
import type { CheckResult, Results } from '../../harness/results/schema.js';
import { CAMERA_UNDECLARED, startCameraDevice } from '../support/reference/camera.js';
import type { ReferenceDevice } from '../support/reference/device.js';
import { requireReferenceDevice } from '../support/reference/requirements.js';
import { resultsOf, runJcstarOn, type ReferenceRun } from '../support/reference/run-jcstar.js';
import { findingsText, requirement, secretLeaks, verdictTable } from '../support/reference/verdicts.js';
import { validateResultsJson } from '../support/results-schema.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { expectInventoryAsNmapSees } from '../support/reference/inventory-oracle.js';

const { telnet, ssh, ftp, coap } = CAMERA_UNDECLARED;

function check(results: Results, id: string): CheckResult {
  const found = results.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} among ${results.checks.map((c) => c.id).join(', ')}`);
  return found;
}

/**
 * The camera reference device (test/support/reference/camera.ts) under a full run, every suite, the CLI inside
 * the device's network namespace and no --only: its profile declares the web admin alone, and the full port
 * scan must find the Telnet, SSH, FTP and CoAP services the firmware left behind, name them, and test each with
 * the protocol identification found, as Mirai would have.
 */
describe('camera reference device: a full run finds and tests the undeclared services', function () {
  this.timeout(15 * 60_000);
  let device: ReferenceDevice | null = null;
  let run: ReferenceRun;

  before(async function () {
    requireReferenceDevice(this, 'camera');
    device = await startCameraDevice();
    run = await runJcstarOn(device);
  });

  after(async () => {
    await device?.stop();
  });

  it('exits 1 and writes a valid run folder whose results.json meets the schema', () => {
    const results = resultsOf(run);
    expect(run.code, `${run.stderr}\n${verdictTable(results)}`).to.equal(1);
    expect(validateResultsJson(results)).to.deep.equal([]);
    expect(JSON.parse(run.stdout)).to.deep.equal(results);
    expectValidRunFolder(run.runDir);
  });

  it('finds the open TCP ports nmap -sT -p- finds, and gives each probed UDP port nmap -sU\'s state', async () => {
    await expectInventoryAsNmapSees(device!, resultsOf(run));
  });

  it('FAILs S1.1-01 for every undeclared open TCP port: Telnet, SSH, FTP and libcoap\'s CoAP over TCP', () => {
    const results = resultsOf(run);
    expect(requirement(results, 'S1.1-01').verdict, verdictTable(results)).to.equal('FAIL');
    const inventory = check(results, 'S1.1-01/interface-inventory/tcp');
    expect(inventory.verdict, inventory.reason).to.equal('FAIL');
    for (const port of [telnet, ssh, ftp, coap]) expect(inventory.reason).to.match(new RegExp(`\\b${port}/tcp\\b`));
    // The declared web admin is found, so not named as undeclared.
    expect(inventory.reason).to.not.match(/\b(443|80)\/tcp\b/);
    const udp = check(results, 'S1.1-01/interface-inventory/udp');
    expect(udp.verdict, udp.reason).to.equal('FAIL');
    expect(udp.reason).to.match(new RegExp(`\\b${coap}/udp\\b`));
    // Unused interfaces left enabled: S1.1-13 (inferred) is decided by the same diff.
    expect(requirement(results, 'S1.1-13').verdict, verdictTable(results, ['S1.1-13'])).to.equal('FAIL');
  });

  it('FAILs S1.1-01 for the factory FTP that lets anonymous in, with the listing it returned', () => {
    const results = resultsOf(run);
    const anonymous = check(results, `S1.1-01/unauthenticated-access/undeclared-ftp-${ftp}`);
    expect(anonymous.verdict, anonymous.reason).to.equal('FAIL');
    expect(anonymous.reason).to.match(/anonymous\/ftp → "230 Login successful\.", and LIST returned 1 entry/);
    expect(anonymous.evidence.some((e) => /factory-test\.log/.test(JSON.stringify(e.data)))).to.equal(true);
    expect(findingsText(results, 'S1.1-01')).to.contain(`undeclared-ftp-${ftp}`);
  });

  it('FAILs S1.1-02 on the undeclared Telnet (root:xc3511, with the login transcript) and the undeclared SSH (root:12345)', () => {
    const results = resultsOf(run);
    expect(requirement(results, 'S1.1-02').verdict, verdictTable(results)).to.equal('FAIL');
    const telnetDefaults = check(results, `S1.1-02/default-credentials/undeclared-telnet-${telnet}`);
    expect(telnetDefaults.verdict, telnetDefaults.reason).to.equal('FAIL');
    expect(telnetDefaults.reason).to.contain('telnet-root-xc3511');
    const login = telnetDefaults.evidence.find((e) => e.summary.includes('telnet-root-xc3511'));
    expect(login, 'the accepted login\'s transcript').to.not.equal(undefined);
    expect(login!.sent).to.match(/^root$/m);
    expect(login!.received).to.match(/login: root\r\nPassword: /);
    expect(login!.summary).to.match(/→ accepted/);

    const sshDefaults = check(results, `S1.1-02/default-credentials/undeclared-ssh-${ssh}`);
    expect(sshDefaults.verdict, sshDefaults.reason).to.equal('FAIL');
    expect(sshDefaults.reason).to.contain('ssh-root-12345');
    expect(sshDefaults.evidence.some((e) => e.summary.includes('ssh-root-12345') && /USERAUTH_SUCCESS/.test(e.received ?? ''))).to.equal(true);
  });

  it('FAILs S1.1-12 on the 1024-bit RSA host key of the undeclared SSH', () => {
    const results = resultsOf(run);
    expect(requirement(results, 'S1.1-12').verdict, verdictTable(results)).to.equal('FAIL');
    const crypto = check(results, `S1.1-12/crypto/undeclared-ssh-${ssh}`);
    expect(crypto.verdict, crypto.reason).to.equal('FAIL');
    expect(crypto.reason).to.match(/RSA host key of 1024 bits/);
  });

  it('keeps the declared web admin clean: no universal default, nothing served without the password', () => {
    const results = resultsOf(run);
    expect(check(results, 'S1.1-02/default-credentials/web').verdict).to.equal('PASS');
    expect(check(results, 'S1.1-01/unauthenticated-access/web').verdict).to.equal('PASS');
  });

  it('writes no declared secret into any file of the run folder', () => {
    expect(secretLeaks(run.runDir, device!.secrets)).to.deep.equal([]);
  });
});
