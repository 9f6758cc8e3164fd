import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadFleet } from '../../harness/fleet/load.js';
import { runFleet } from '../../harness/fleet/run.js';
import { exitCodeForFleet, FleetSummary } from '../../harness/fleet/summary.js';
import { startSimulatedFleet } from '../../harness/simulator/fleet.js';

const SHARED = 'Qx7fLm2RtY9vBn4KpW3z';

async function fleetOf(passwords: (string | undefined)[]) {
  const dir = mkdtempSync(join(tmpdir(), 'jcstar-fleet-'));
  const sim = await startSimulatedFleet(passwords.map((p) => ({ mode: 'secure' as const, initialPassword: p })), dir, { concurrency: 2, only: ['S1.1-02'] });
  const fleet = await loadFleet(sim.fleetFile, { env: sim.env });
  const outcome = await runFleet({ fleet, out: join(dir, 'out') });
  return { sim, dir, ...outcome };
}

describe('jcstar fleet: initial passwords unique per unit (S1.1-02)', function () {
  this.timeout(180000);

  describe('two units with the same initial password', () => {
    let run: Awaited<ReturnType<typeof fleetOf>>;
    before(async () => (run = await fleetOf([SHARED, SHARED])));
    after(() => run.sim.close());

    it('FAILs the cross-unit check, naming both units and no password, and exits 1', () => {
      const [check] = run.summary.crossUnit;
      expect(check!.id).to.equal('S1.1-02/fleet/unique-initial-passwords');
      expect(check!.verdict).to.equal('FAIL');
      expect(check!.reason).to.match(/^units SIM-0001 \(credential (admin|ssh)\) and SIM-0002 \(credential (admin|ssh)\) share the same initial password/);
      expect(check!.units).to.deep.equal(['SIM-0001', 'SIM-0002']);
      expect(run.summary.outcome).to.equal('fail');
      expect(exitCodeForFleet(run.summary)).to.equal(1);
    });

    it('each device alone sees no S1.1-02 finding: only the fleet can tell', () => {
      expect(run.summary.devices.map((d) => [d.unit, d.status, d.failing])).to.deep.equal([
        ['SIM-0001', 'complete', []],
        ['SIM-0002', 'complete', []],
      ]);
    });

    it('writes the password into no file of the fleet folder', () => {
      const files = ['fleet-summary.json', 'fleet-summary.html', 'fleet-junit.xml', 'cross-unit/evidence.jsonl', 'SIM-0001/evidence.jsonl', 'SIM-0002/evidence.jsonl', 'SIM-0001/results.json'];
      for (const f of files) expect(readFileSync(join(run.out, f), 'utf8'), f).to.not.include(SHARED);
    });

    it('records the assessment in the cross-unit evidence log, and the summary is valid against its schema', () => {
      const records = readFileSync(join(run.out, 'cross-unit/evidence.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(records.map((r) => r.type)).to.deep.equal(['check-start', 'evidence', 'verdict']);
      const passwords = records[1].data.models[0].passwords as { unit: string; rules: { rule: string; passed: boolean }[] }[];
      expect(passwords.map((p) => [p.unit, p.rules.find((r) => r.rule === 'distinct')!.passed])).to.deep.equal([['SIM-0001', false], ['SIM-0002', false]]);
      expect(records[2].verdict).to.equal('FAIL');
      const json = JSON.parse(readFileSync(join(run.out, 'fleet-summary.json'), 'utf8'));
      expect(FleetSummary.safeParse(json).success).to.equal(true);
      expect(readFileSync(join(run.out, 'fleet-junit.xml'), 'utf8')).to.include('<failure message="units SIM-0001');
    });
  });

  describe('two units with their own random passwords', () => {
    let run: Awaited<ReturnType<typeof fleetOf>>;
    before(async () => (run = await fleetOf([undefined, undefined])));
    after(() => run.sim.close());

    it('PASSes the cross-unit check and exits 0', () => {
      const [check] = run.summary.crossUnit;
      expect(check!.verdict).to.equal('PASS');
      expect(check!.reason).to.match(/^2 units of ACME SIM-CAM: distinct initial passwords/);
      expect(run.summary.outcome).to.equal('no-fail');
      expect(exitCodeForFleet(run.summary)).to.equal(0);
    });
  });
});
