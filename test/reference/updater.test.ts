import { expect } from 'chai';
import type { CheckResult, Results } from '../../harness/results/schema.js';
import type { ReferenceDevice } from '../support/reference/device.js';
import { requireReferenceDevice } from '../support/reference/requirements.js';
import { resultsOf, runJcstarOn, type ReferenceRun } from '../support/reference/run-jcstar.js';
import { startUpdaterDevice, UPDATER_VERSIONS } from '../support/reference/updater.js';
import { requirement, secretLeaks, verdictTable } from '../support/reference/verdicts.js';
import { validateResultsJson } from '../support/results-schema.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { requireSwupdateDevice } from '../support/swupdate/device.js';

const UPDATE_REQUIREMENTS = ['S1.1-06', 'S1.1-08'];

function attacks(results: Results): Array<[string, string]> {
  return results.checks.filter((c) => c.id.startsWith('S1.1-08/update-attack/')).map((c) => [c.id.split('/').at(-1)!, c.verdict]);
}

function check(results: Results, id: string): CheckResult {
  const found = results.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}\n${verdictTable(results, UPDATE_REQUIREMENTS)}`);
  return found;
}

/**
 * The updater reference devices (test/support/reference/updater.ts) under a full run with the hands-on update
 * trial: a real SWUpdate client polling jcstar's hawkBit server inside the device's network namespace, every
 * suite, the CLI as a user runs it. Verdicts come from the version the device's web page shows.
 */
for (const mode of ['secure', 'insecure'] as const) {
  describe(`updater reference device (${mode} SWUpdate): a full run with --hands-on update`, function () {
    this.timeout(15 * 60_000);
    let device: ReferenceDevice | null = null;
    let run: ReferenceRun;

    before(async function () {
      requireReferenceDevice(this, 'updater');
      requireSwupdateDevice(this, mode);
      device = await startUpdaterDevice(mode);
      run = await runJcstarOn(device);
    });

    after(async () => {
      await device?.stop();
    });

    it('writes a valid run folder whose results.json meets the schema, and leaks no key', () => {
      const results = resultsOf(run);
      expect(validateResultsJson(results)).to.deep.equal([]);
      expectValidRunFolder(run.runDir);
      expect(results.checks.filter((c) => c.verdict === 'ERROR').map((c) => `${c.id}: ${c.reason}`)).to.deep.equal([]);
      expect(secretLeaks(run.runDir, device!.secrets)).to.deep.equal([]);
    });

    it('installs the genuine image from jcstar\'s server: S1.1-06 PASSes on the version read', () => {
      const results = resultsOf(run);
      const table = verdictTable(results, UPDATE_REQUIREMENTS);
      expect(requirement(results, 'S1.1-06').verdict, table).to.equal('PASS');
      const genuine = check(results, 'S1.1-06/update/genuine-image');
      expect(genuine.reason, table).to.match(mode === 'secure' ? new RegExp(`^the (genuine image was installed|device installed an update from jcstar's server).*${UPDATER_VERSIONS.genuine.replace(/\./g, '\\.')}`) : /^the (genuine image was installed|device installed an update from jcstar's server)/);
    });

    if (mode === 'secure') {
      it('PASSes every S1.1-08 attack, the plain-HTTP link with a warning: suricatta follows it, but the signature holds', () => {
        const results = resultsOf(run);
        const table = verdictTable(results, UPDATE_REQUIREMENTS);
        expect(run.code, `${run.stderr}\n${verdictTable(results)}`).to.equal(0);
        expect(attacks(results), table).to.deep.equal(
          ['payload-byte-flipped', 'metadata-byte-changed', 'wrong-key', 'unsigned', 'cut-download', 'untrusted-certificate', 'plain-http', 'rollback'].map((a) => [a, 'PASS']),
        );
        expect(requirement(results, 'S1.1-08').verdict, table).to.equal('PASS');
        expect(check(results, 'S1.1-08/update-attack/plain-http').warnings).to.deep.equal(['the device downloads updates over plain HTTP when told to; S1.1-12 judges the channel']);
      });
    } else {
      it('FAILs S1.1-08 naming each image it took; the hash check still refuses the flipped payload and the cut download', () => {
        const results = resultsOf(run);
        const table = verdictTable(results, UPDATE_REQUIREMENTS);
        expect(run.code, table).to.equal(1);
        expect(attacks(results), table).to.deep.equal([
          ['payload-byte-flipped', 'PASS'],
          ['metadata-byte-changed', 'FAIL'],
          ['wrong-key', 'FAIL'],
          ['unsigned', 'FAIL'],
          ['cut-download', 'PASS'],
          ['untrusted-certificate', 'FAIL'],
          ['plain-http', 'FAIL'],
          ['rollback', 'FAIL'],
        ]);
        expect(check(results, 'S1.1-08/update-attack/unsigned').reason).to.match(/^the device installed the image with its signature removed: version \S+ → 1\.3\.0 /);
      });
    }
  });
}
