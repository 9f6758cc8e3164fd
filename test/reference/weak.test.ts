import { expect } from 'chai';
import type { ReferenceDevice } from '../support/reference/device.js';
import { requireReferenceDevice } from '../support/reference/requirements.js';
import { resultsOf, runJcstarOn, type ReferenceRun } from '../support/reference/run-jcstar.js';
import { DEVICE_REQUIREMENTS, findingsText, requirement, secretLeaks, verdictTable } from '../support/reference/verdicts.js';
import { startWeakDevice } from '../support/reference/weak.js';
import { validateResultsJson } from '../support/results-schema.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { expectInventoryAsNmapSees } from '../support/reference/inventory-oracle.js';

/**
 * The weak reference device (test/support/reference/weak.ts) under a full run, every suite, the CLI inside the
 * device's network namespace. Every device requirement FAILs, and says why: the finding, not just a count.
 */
describe('weak reference device: a full run', function () {
  this.timeout(15 * 60_000);
  let device: ReferenceDevice | null = null;
  let run: ReferenceRun;

  before(async function () {
    requireReferenceDevice(this, 'weak');
    device = await startWeakDevice();
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

  it('FAILs S1.1-01, -02, -04 and -12', () => {
    const results = resultsOf(run);
    const table = verdictTable(results);
    for (const id of DEVICE_REQUIREMENTS) expect(requirement(results, id).verdict, `${id}\n${table}`).to.equal('FAIL');
  });

  it('S1.1-01 names the undeclared ports (Telnet, libcoap\'s CoAP over TCP) and the MQTT broker that serves anonymous clients', () => {
    const results = resultsOf(run);
    const text = findingsText(results, 'S1.1-01');
    expect(text).to.match(/unauthenticated-access\/telemetry/);
    // The full scan finds what the profile leaves out: the Telnet login and the TCP listener libcoap opens beside 5683/udp.
    const inventory = results.checks.find((c) => c.id === 'S1.1-01/interface-inventory/tcp');
    expect(inventory?.verdict, inventory?.reason).to.equal('FAIL');
    expect(inventory!.reason).to.match(/\b23\/tcp\b/).and.to.match(/\b5683\/tcp\b/);
    expect(inventory!.reason).to.not.match(/\b(22|80|1883|199)\/tcp\b/);
  });

  it('S1.1-02 names the accepted universal defaults: admin:admin on the web UI and on the undeclared Telnet, support:support on SSH, the community public', () => {
    const text = findingsText(resultsOf(run), 'S1.1-02');
    expect(text).to.match(/http-admin-admin/);
    expect(text).to.match(/ssh-support-support/);
    expect(text).to.match(/public/);
    expect(text).to.match(/undeclared-telnet-23: .*telnet-admin-admin/);
  });

  it('S1.1-04 names the web and SSH logins that let guesses through unhindered', () => {
    const text = findingsText(resultsOf(run), 'S1.1-04');
    expect(text).to.match(/\bweb\b/);
    expect(text).to.match(/\bshell\b/);
  });

  it('S1.1-12 names the plaintext logins and the legacy SSH algorithms', () => {
    const text = findingsText(resultsOf(run), 'S1.1-12');
    expect(text).to.match(/plaintext\/web/);
    expect(text).to.match(/plaintext\/telemetry/);
    expect(text).to.match(/plaintext\/management/);
    expect(text).to.match(/plaintext\/undeclared-telnet-23/);
    expect(text).to.match(/diffie-hellman-group1-sha1/);
    expect(text).to.match(/3des-cbc|aes128-cbc/);
    expect(text).to.match(/1024/);
  });

  it('writes no declared secret that is not a universal default into any file of the run folder', () => {
    expect(secretLeaks(run.runDir, device!.secrets)).to.deep.equal([]);
  });
});
