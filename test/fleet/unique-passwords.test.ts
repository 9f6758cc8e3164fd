import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { assessFleet, type InitialPassword } from '../../harness/checks/default-password/fleet.js';
import { loadUniversalDefaults } from '../../harness/credentials/universal-defaults.js';
import { loadFleet } from '../../harness/fleet/load.js';
import { runFleet } from '../../harness/fleet/run.js';
import { exitCodeForFleet, FleetSummary } from '../../harness/fleet/summary.js';
import { checkUniqueInitialPasswords } from '../../harness/fleet/unique-passwords.js';
import { Secret } from '../../harness/secrets/secret.js';
import { startSimulatedFleet } from '../../harness/simulator/fleet.js';
import { filesUnder } from '../support/run-folder.js';

const SHARED = 'Qx7fLm2RtY9vBn4KpW3z';

async function fleetOf(passwords: (string | undefined)[], env: (simulated: Record<string, string>) => Record<string, string> = (e) => e) {
  const dir = mkdtempSync(join(tmpdir(), 'jcstar-fleet-'));
  const sim = await startSimulatedFleet(passwords.map((p) => ({ mode: 'secure' as const, initialPassword: p })), dir, { concurrency: 2, only: ['S1.1-02'] });
  const fleet = await loadFleet(sim.fleetFile, { env: env(sim.env) });
  const outcome = await runFleet({ fleet, out: join(dir, 'out') });
  return { sim, dir, fleet, ...outcome };
}

/** The forms a password travels in over HTTP and in logs: raw, base64 (alone and in a Basic header), hex, percent-encoded. */
function encodings(password: string): string[] {
  const bytes = Buffer.from(password);
  const basic = Buffer.from(`admin:${password}`);
  return [
    password,
    bytes.toString('base64'), bytes.toString('base64url'), basic.toString('base64'), basic.toString('base64url'),
    bytes.toString('hex'), bytes.toString('hex').toUpperCase(),
    [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''), [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  ];
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

    it('writes the password into no file of the fleet folder, raw, base64, hex or percent-encoded', () => {
      const files = filesUnder(run.out);
      expect(files.map((f) => relative(run.out, f))).to.include.members(['fleet-summary.json', 'fleet-summary.html', 'fleet-junit.xml', 'cross-unit/evidence.jsonl', 'SIM-0001/evidence.jsonl', 'SIM-0002/results.json']);
      for (const f of files) {
        const text = readFileSync(f).toString('latin1');
        for (const form of encodings(SHARED)) expect(text, `${relative(run.out, f)} holds ${form}`).to.not.include(form);
      }
    });

    it('records the assessment in the cross-unit evidence log, and the summary is valid against its schema', () => {
      const records = readFileSync(join(run.out, 'cross-unit/evidence.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(records.map((r) => r.type)).to.deep.equal(['check-start', 'evidence', 'verdict']);
      const passwords = records[1].data.models[0].passwords as { unit: string; rules: { rule: string; passed: boolean }[] }[];
      expect(passwords.map((p) => [p.unit, p.rules.find((r) => r.rule === 'distinct')!.passed])).to.deep.equal([['SIM-0001', false], ['SIM-0002', false]]);
      expect(records[1].data.notJudged).to.deep.equal([]);
      expect(records[2].verdict).to.equal('FAIL');
      const json = JSON.parse(readFileSync(join(run.out, 'fleet-summary.json'), 'utf8'));
      expect(FleetSummary.safeParse(json).success).to.equal(true);
      expect(readFileSync(join(run.out, 'fleet-junit.xml'), 'utf8')).to.include('<failure message="units SIM-0001');
    });

    it('judges only units whose completed run showed their password accepted: a unit that never ran is not judged, nor named in a FAIL', () => {
      const copy = join(run.dir, 'interrupted-before-SIM-0002');
      cpSync(run.out, copy, { recursive: true });
      rmSync(join(copy, 'SIM-0002'), { recursive: true });
      const check = checkUniqueInitialPasswords(run.fleet.devices, copy);
      expect([check.verdict, check.units]).to.deep.equal(['INCONCLUSIVE', ['SIM-0001']]);
      expect(check.reason).to.contain('not judged: unit SIM-0002 (credential admin): it did not run; unit SIM-0002 (credential ssh): it did not run');
    });

    it('an unfinished run (no run-end) establishes nothing', () => {
      const copy = join(run.dir, 'unfinished-SIM-0002');
      cpSync(run.out, copy, { recursive: true });
      const log = join(copy, 'SIM-0002', 'evidence.jsonl');
      writeFileSync(log, readFileSync(log, 'utf8').split('\n').filter((l) => !l.includes('"type":"run-end"')).join('\n'));
      const check = checkUniqueInitialPasswords(run.fleet.devices, copy);
      expect([check.verdict, check.units]).to.deep.equal(['INCONCLUSIVE', ['SIM-0001']]);
      expect(check.reason).to.contain('unit SIM-0002 (credential admin): its run did not complete (no end recorded)');
    });
  });

  describe('a unit whose profile claims the other unit\'s password, which its device does not accept', () => {
    let run: Awaited<ReturnType<typeof fleetOf>>;
    // The second unit really has a password of its own; its profile (as if inherited from a base profile) says SHARED.
    before(async () => (run = await fleetOf([SHARED, undefined], (env) => ({ ...env, JCSTAR_SIM_ADMIN_PASSWORD_2: SHARED, JCSTAR_SIM_SSH_PASSWORD_2: SHARED }))));
    after(() => run.sim.close());

    it('is not judged on that claim: INCONCLUSIVE, naming the unit and why, not FAIL', () => {
      const [check] = run.summary.crossUnit;
      expect(check!.verdict).to.equal('INCONCLUSIVE');
      expect(check!.units).to.deep.equal(['SIM-0001']);
      expect(check!.reason).to.contain('not judged: unit SIM-0002 (credential admin): its run never showed the device accepting it');
      for (const form of encodings(SHARED)) expect(readFileSync(join(run.out, 'cross-unit', 'evidence.jsonl'), 'utf8')).to.not.include(form);
    });
  });

  describe('two units with their own random passwords', () => {
    let run: Awaited<ReturnType<typeof fleetOf>>;
    before(async () => (run = await fleetOf([undefined, undefined])));
    after(() => run.sim.close());

    it('PASSes the cross-unit check (each password seen accepted) and exits 0', () => {
      const [check] = run.summary.crossUnit;
      expect(check!.verdict).to.equal('PASS');
      expect(check!.reason).to.match(/^2 units of ACME SIM-CAM: distinct initial passwords, each seen accepted by its device/);
      expect(run.summary.outcome).to.equal('no-fail');
      expect(exitCodeForFleet(run.summary)).to.equal(0);
    });
  });

  describe('a universal default password', () => {
    const RULES = { model: 'M', strength: { minLength: 1, minCharacterClasses: 1 }, universalDefaults: loadUniversalDefaults().entries };
    const own = (login: InitialPassword['login']): InitialPassword => ({ unit: 'U-1', source: 'credential ssh', credential: 'ssh', password: new Secret('root', 'pw'), login });
    const finding = (login: InitialPassword['login']) => assessFleet([own(login)], RULES).findings;

    it('names the list entry of the same login (protocol and user)', () => {
      expect(finding({ username: 'root', families: ['ssh'] })).to.deep.equal(['unit U-1 (credential ssh): the password is the universal default of entry ssh-root-root']);
    });

    it('says when the password is listed only for another user or protocol, instead of naming another login\'s entry as its own', () => {
      expect(finding({ username: 'admin', families: ['ssh'] })).to.deep.equal(['unit U-1 (credential ssh): the password is a published default password (entry ssh-root-root, listed for another user)']);
      expect(finding({ username: 'root', families: ['mqtt'] })).to.deep.equal(['unit U-1 (credential ssh): the password is a published default password (entry http-root-root, listed for another protocol)']);
    });
  });
});
