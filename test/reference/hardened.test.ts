import { expect } from 'chai';
import type { ReferenceDevice } from '../support/reference/device.js';
import { startHardenedDevice } from '../support/reference/hardened.js';
import { requireReferenceDevice } from '../support/reference/requirements.js';
import { resultsOf, runJcstarOn, type ReferenceRun } from '../support/reference/run-jcstar.js';
import { DEVICE_REQUIREMENTS, requirement, secretLeaks, verdictTable } from '../support/reference/verdicts.js';
import { validateResultsJson } from '../support/results-schema.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { expectInventoryAsNmapSees } from '../support/reference/inventory-oracle.js';

/**
 * The hardened reference device (test/support/reference/hardened.ts) under a full run, every suite, as a user
 * runs jcstar: the CLI inside the device's network namespace. Every login there is positively protected, so no
 * device requirement may FAIL or be left INCONCLUSIVE.
 */
describe('hardened reference device: a full run', function () {
  // 1-04's rate-limit
  // measurement (10 logins a minute) add minutes, hence the margin.
  this.timeout(15 * 60_000);
  let device: ReferenceDevice | null = null;
  let run: ReferenceRun;

  before(async function () {
    requireReferenceDevice(this, 'hardened');
    device = await startHardenedDevice();
    run = await runJcstarOn(device);
  });

  after(async () => {
    await device?.stop();
  });

  it('exits 0 and writes a valid run folder whose results.json meets the schema', () => {
    const results = resultsOf(run);
    expect(run.code, `${run.stderr}\n${verdictTable(results)}`).to.equal(0);
    expect(validateResultsJson(results)).to.deep.equal([]);
    expect(JSON.parse(run.stdout)).to.deep.equal(results);
    expectValidRunFolder(run.runDir);
  });

  it('finds the open TCP ports nmap -sT -p- finds, and gives each probed UDP port nmap -sU\'s state', async () => {
    await expectInventoryAsNmapSees(device!, resultsOf(run));
  });

  it('neither FAILs nor leaves INCONCLUSIVE S1.1-01, -02, -04 or -12', () => {
    const results = resultsOf(run);
    const table = verdictTable(results);
    for (const id of DEVICE_REQUIREMENTS) {
      expect(requirement(results, id).verdict, `${id}\n${table}`).to.be.oneOf(['PASS', 'MANUAL']);
    }
    const doubtful = results.checks.filter((c) => (DEVICE_REQUIREMENTS as readonly string[]).includes(c.requirement) && ['FAIL', 'INCONCLUSIVE', 'ERROR'].includes(c.verdict));
    expect(doubtful.map((c) => `${c.id} ${c.verdict}: ${c.reason}`), table).to.deep.equal([]);
  });

  it('PASSes the TCP and UDP inventories: every open port is a declared service', () => {
    const results = resultsOf(run);
    for (const transport of ['tcp', 'udp']) {
      const inventory = results.checks.find((c) => c.id === `S1.1-01/interface-inventory/${transport}`);
      expect(inventory?.verdict, `${transport}: ${inventory?.reason}\n${verdictTable(results)}`).to.equal('PASS');
    }
  });

  it('PASSes S1.1-04 on every login, and S1.1-12', () => {
    const results = resultsOf(run);
    const table = verdictTable(results);
    expect(requirement(results, 'S1.1-04').verdict, table).to.equal('PASS');
    expect(requirement(results, 'S1.1-12').verdict, table).to.equal('PASS');
    // Each login is judged, the key-only ones too (SSH public key, client certificate, DTLS-PSK): none is left
    // without an S1.1-04 check, as key-only SSH was before issue 8.
    const bruteForce = results.checks.filter((c) => c.requirement === 'S1.1-04').map((c) => c.id);
    for (const service of ['web', 'shell', 'telemetry', 'sensors']) {
      expect(bruteForce.some((id) => id.endsWith(`/${service}`)), `${service} in ${bruteForce.join(', ')}`).to.equal(true);
    }
  });

  it('writes no declared secret (passwords, PSK, SNMPv3 keys, private keys) into any file of the run folder', () => {
    expect(secretLeaks(run.runDir, device!.secrets)).to.deep.equal([]);
  });
});
