import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { jcstar } from '../support/cli.js';

describe('jcstar fleet and jcstar merge on the command line', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'jcstar-fleet-cli-'));

  it('fleet exits 2 on a broken fleet file, one line per problem on stderr, nothing on stdout', async () => {
    writeFileSync(join(dir, 'fleet.yaml'), 'concurrency: 100\ndevices:\n  - profile: none.yaml\n');
    const r = await jcstar(['fleet', join(dir, 'fleet.yaml'), '--out', join(dir, 'out')]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal('');
    expect(r.stderr.trim().split('\n')).to.deep.equal([`${join(dir, 'fleet.yaml')}:1:14: concurrency: expected an integer from 1 to 64, found 100`]);
  });

  it('fleet exits 2 on a bad --concurrency, before reading the fleet file', async () => {
    const r = await jcstar(['fleet', join(dir, 'missing.yaml'), '--concurrency', '0']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('jcstar: --concurrency: expected a whole number from 1 to 64, found "0"');
  });

  it('merge exits 2 on a folder that holds no run', async () => {
    const r = await jcstar(['merge', dir, '--out', join(dir, 'merged')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`jcstar: ${dir} is neither a run folder (no evidence.jsonl) nor a fleet folder (no fleet-summary.json)`);
  });

  it('merge exits 2, naming the file, on a fleet-summary.json that is not JSON', async () => {
    const fleetDir = join(dir, 'torn');
    mkdirSync(fleetDir);
    writeFileSync(join(fleetDir, 'fleet-summary.json'), '{"formatVersion": 1, "devi');
    const r = await jcstar(['merge', fleetDir, '--out', join(dir, 'merged-torn')]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain(`jcstar: ${join(fleetDir, 'fleet-summary.json')} is not a fleet summary: `);
  });

  it('merge exits 2 on a summary whose run folders lie outside its fleet folder (absolute, .., or a link out)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'jcstar-elsewhere-'));
    writeFileSync(join(elsewhere, 'evidence.jsonl'), '');
    for (const [name, folder] of [['absolute', elsewhere], ['dotdot', '../../elsewhere'], ['link', 'inside']] as const) {
      const fleetDir = join(dir, `outside-${name}`);
      mkdirSync(fleetDir);
      if (name === 'link') symlinkSync(elsewhere, join(fleetDir, 'inside'));
      writeFileSync(join(fleetDir, 'fleet-summary.json'), JSON.stringify(summaryListing(folder)));
      const r = await jcstar(['merge', fleetDir, '--out', join(dir, `merged-${name}`)]);
      expect(r.code, `${name}: ${r.stderr}`).to.equal(2);
      expect(r.stderr, name).to.contain(`jcstar: ${join(fleetDir, 'fleet-summary.json')} lists run folders outside its fleet folder: ${JSON.stringify(folder)}`);
    }
  });
});

/** A valid fleet summary with one device whose run folder is `folder`. */
function summaryListing(folder: string): unknown {
  const counts = { PASS: 0, FAIL: 0, NOT_APPLICABLE: 0, INCONCLUSIVE: 0, MANUAL: 0, ERROR: 0 };
  return {
    formatVersion: 1,
    tool: { name: 'jcstar', version: '0' },
    kind: 'fleet',
    generatedAt: '2026-12-03T10:00:00.000Z',
    outcome: 'no-fail',
    devices: [{
      unit: 'U-1', folder, runId: 'r', status: 'complete', statusReason: null, outcome: 'no-fail',
      device: { vendor: 'V', model: 'M', firmware: '1', unit: 'U-1' }, host: '127.0.0.1', requirements: counts, checks: counts,
      failing: [], startedAt: '2026-12-03T10:00:00.000Z', finishedAt: '2026-12-03T10:01:00.000Z',
    }],
    crossUnit: [],
    notes: [],
  };
}
