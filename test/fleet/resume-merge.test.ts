import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { UsageError } from '../../harness/cli/usage-error.js';
import { loadFleet, type Fleet } from '../../harness/fleet/load.js';
import { mergeRuns } from '../../harness/fleet/merge.js';
import { runFleet, type FleetEvent, type FleetOutcome } from '../../harness/fleet/run.js';
import { configurationChange } from '../../harness/fleet/resume.js';
import { exitCodeForFleet } from '../../harness/fleet/summary.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../harness/simulator/fleet.js';

describe('jcstar fleet --resume and jcstar merge', function () {
  this.timeout(240000);
  let dir: string;
  let sim: SimulatedFleet;
  let fleet: Fleet;
  let interrupted: FleetOutcome;
  let resumed: FleetOutcome;
  const resumeEvents: FleetEvent[] = [];
  let first: { runId: string; mtimeMs: number };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jcstar-fleet-resume-'));
    sim = await startSimulatedFleet([{ mode: 'secure' }, { mode: 'insecure' }], dir, { concurrency: 1, only: ['S1.1-02'] });
    fleet = await loadFleet(sim.fleetFile, { env: sim.env });
    const controller = new AbortController();
    // Interrupted while the second unit runs: the first has finished, the second has not.
    interrupted = await runFleet({
      fleet,
      out: join(dir, 'out'),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'progress' && e.unit === 'SIM-0002' && e.event.type === 'check-end') controller.abort();
      },
    });
    const log = join(dir, 'out', 'SIM-0001', 'evidence.jsonl');
    first = { runId: interrupted.summary.devices[0]!.runId, mtimeMs: statSync(log).mtimeMs };
    resumed = await runFleet({ fleet, out: join(dir, 'out'), resume: true, onEvent: (e) => e.type !== 'progress' && resumeEvents.push(e) });
  });
  after(() => sim.close());

  it('an interrupted fleet says so: the second unit is interrupted, the exit code is 130', () => {
    expect(interrupted.summary.devices.map((d) => [d.unit, d.status])).to.deep.equal([['SIM-0001', 'complete'], ['SIM-0002', 'interrupted']]);
    expect(interrupted.summary.outcome).to.equal('interrupted');
    expect(exitCodeForFleet(interrupted.summary)).to.equal(130);
  });

  it('resume skips the finished unit (same run, log untouched) and runs the other afresh, keeping its interrupted folder aside', () => {
    expect(resumeEvents.map((e) => `${e.type} ${e.unit}`)).to.deep.equal(['device-skip SIM-0001', 'device-moved SIM-0002', 'device-start SIM-0002', 'device-end SIM-0002']);
    expect(resumed.summary.devices[0]!.runId).to.equal(first.runId);
    expect(statSync(join(dir, 'out', 'SIM-0001', 'evidence.jsonl')).mtimeMs).to.equal(first.mtimeMs);
    expect(existsSync(join(dir, 'out', 'SIM-0002.interrupted-1', 'evidence.jsonl'))).to.equal(true);
    expect(existsSync(join(dir, 'out', 'cross-unit.earlier-1', 'evidence.jsonl'))).to.equal(true);
    expect(resumed.summary.crossUnit[0]!.evidence).to.equal('cross-unit/evidence.jsonl#0');
  });

  it('the rebuilt summary covers both units, and the insecure unit FAILs S1.1-02', () => {
    expect(resumed.summary.devices.map((d) => [d.unit, d.status, d.outcome, d.failing])).to.deep.equal([
      ['SIM-0001', 'complete', 'no-fail', []],
      ['SIM-0002', 'complete', 'fail', ['S1.1-02']],
    ]);
    expect(resumed.summary.notes).to.deep.equal([]);
    expect(resumed.summary.outcome).to.equal('fail');
  });

  it('merge of the two run folders gives the same devices, and says the cross-unit check could not be redone', () => {
    const merged = mergeRuns([join(dir, 'out', 'SIM-0001'), join(dir, 'out', 'SIM-0002')], join(dir, 'merged'), dir);
    expect(merged.summary.kind).to.equal('merge');
    expect(merged.summary.devices.map((d) => [d.unit, d.runId, d.folder])).to.deep.equal([
      ['SIM-0001', first.runId, '../out/SIM-0001'],
      ['SIM-0002', resumed.summary.devices[1]!.runId, '../out/SIM-0002'],
    ]);
    const [check] = merged.summary.crossUnit;
    expect([check!.id, check!.verdict, check!.evidence]).to.deep.equal(['S1.1-02/fleet/unique-initial-passwords', 'INCONCLUSIVE', null]);
    expect(check!.reason).to.match(/^not checked by merge: run folders hold no secrets/);
    expect(merged.summary.outcome).to.equal('fail');
    expect(JSON.parse(readFileSync(join(dir, 'merged', 'fleet-summary.json'), 'utf8')).devices).to.have.length(2);
  });

  it('merge of a fleet folder takes the run folders its summary lists, and carries its cross-unit verdict as a note (the insecure unit’s admin/admin FAILs it)', () => {
    const merged = mergeRuns([join(dir, 'out')], join(dir, 'merged-fleet'), dir);
    expect(merged.summary.devices.map((d) => d.unit)).to.deep.equal(['SIM-0001', 'SIM-0002']);
    expect(merged.summary.notes).to.have.length(1);
    expect(merged.summary.notes[0]).to.match(/recorded S1\.1-02\/fleet\/unique-initial-passwords FAIL over units SIM-0001, SIM-0002: unit SIM-0002 \(credential admin\): the password is shorter than 8 characters/);
  });

  it('merge refuses a folder that is neither a run folder nor a fleet folder', () => {
    expect(() => mergeRuns([dir], join(dir, 'merged-bad'), dir)).to.throw(UsageError, /is neither a run folder \(no evidence\.jsonl\) nor a fleet folder \(no fleet-summary\.json\)/);
  });

  describe('a unit whose evidence log is empty (a full disk, a kill before the first record)', () => {
    const emptied = (name: string) => {
      const copy = join(dir, name);
      cpSync(join(dir, 'out'), copy, { recursive: true });
      writeFileSync(join(copy, 'SIM-0002', 'evidence.jsonl'), '');
      return copy;
    };

    it('a resumed fleet still writes its summary: the other unit is listed, that unit is a note and an error', async () => {
      const copy = emptied('empty-log-resume');
      const stopped = new AbortController();
      stopped.abort(); // nothing runs: the summary is built over the folders as they are
      const outcome = await runFleet({ fleet, out: copy, resume: true, signal: stopped.signal });
      const written = JSON.parse(readFileSync(join(copy, 'fleet-summary.json'), 'utf8')) as typeof outcome.summary;
      expect(written.devices.map((d) => d.unit)).to.deep.equal(['SIM-0001']);
      expect(written.notes).to.deep.equal([`unit SIM-0002: its evidence log ${join(copy, 'SIM-0002', 'evidence.jsonl')} cannot be read as a run (evidence log has no run-start record); --resume runs it again`]);
      expect(written.outcome).to.equal('interrupted');
    });

    it('merge lists the readable units and notes the other, with the outcome error', () => {
      const copy = emptied('empty-log-merge');
      const merged = mergeRuns([copy], join(dir, 'merged-empty-log'), dir);
      expect(merged.summary.devices.map((d) => d.unit)).to.deep.equal(['SIM-0001']);
      expect(merged.summary.notes).to.include(`${join(copy, 'SIM-0002')}: its evidence log ${join(copy, 'SIM-0002', 'evidence.jsonl')} cannot be read as a run (evidence log has no run-start record); left out`);
      expect(merged.summary.outcome).to.equal('error');
    });
  });

  describe('a finished unit run under another configuration', () => {
    it('stands for the same profile, selection and hands-on tests only', () => {
      const folder = join(dir, 'out', 'SIM-0001');
      const profile = fleet.devices[0]!.profile;
      expect(configurationChange(folder, { profile, only: ['S1.1-02'] })).to.equal(null);
      expect(configurationChange(folder, { profile, only: null })).to.equal('it ran only S1.1-02, and every requirement is asked now');
      // The simulator's profile opts into the update trial itself (update.handsOn).
      expect(profile.handsOn).to.deep.equal(['update']);
      expect(configurationChange(folder, { profile: { ...profile, handsOn: ['update', 'resilience'] }, only: ['S1.1-02'] })).to.equal('it was allowed hands-on update, and hands-on resilience, update now');
      const other = { ...profile, source: { ...profile.source, sha256: 'f'.repeat(64) } };
      expect(configurationChange(folder, { profile: other, only: ['S1.1-02'] })).to.match(/^its profile changed \(sha256 [0-9a-f]{12}… then, ffffffffffff… now\)$/);
    });

    it('--resume with another selection keeps no earlier run as its own: each is moved aside, saying why, and runs again', async () => {
      const copy = join(dir, 'other-selection');
      cpSync(join(dir, 'out'), copy, { recursive: true });
      const events: FleetEvent[] = [];
      const outcome = await runFleet({ fleet: { ...fleet, only: ['S1.1-16'] }, out: copy, resume: true, onEvent: (e) => e.type !== 'progress' && events.push(e) });
      expect(events.filter((e) => e.type === 'device-moved').map((e) => [e.unit, e.type === 'device-moved' && e.why, e.type === 'device-moved' && e.to])).to.deep.equal([
        ['SIM-0001', 'finished before under another configuration (it ran only S1.1-02, and only S1.1-16 is asked now)', join(copy, 'SIM-0001.earlier-1')],
        ['SIM-0002', 'finished before under another configuration (it ran only S1.1-02, and only S1.1-16 is asked now)', join(copy, 'SIM-0002.earlier-1')],
      ]);
      expect(events.some((e) => e.type === 'device-skip')).to.equal(false);
      expect(outcome.summary.devices.map((d) => [d.unit, d.status])).to.deep.equal([['SIM-0001', 'complete'], ['SIM-0002', 'complete']]);
      for (const unit of ['SIM-0001', 'SIM-0002']) {
        const start = JSON.parse(readFileSync(join(copy, unit, 'evidence.jsonl'), 'utf8').split('\n')[0]!);
        expect([start.type, start.selection, start.handsOn], unit).to.deep.equal(['run-start', ['S1.1-16'], ['update']]);
      }
    });
  });
});
