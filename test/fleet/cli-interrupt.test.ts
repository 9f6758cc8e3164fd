import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { EXIT } from '../../harness/cli/exit-codes.js';
import { exitCodeForFleet, type FleetSummary } from '../../harness/fleet/summary.js';
import { FLEET_FILES } from '../../harness/fleet/write-summary.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../harness/simulator/fleet.js';
import { jcstar, type CliResult } from '../support/cli.js';

/** A whole two-unit fleet takes about 15 s here; a CLI that has not exited by this has hung. */
const CLI_TIMEOUT_MS = 50_000;

describe('jcstar fleet on the command line: a real Ctrl-C, then --resume', function () {
  this.timeout(2 * CLI_TIMEOUT_MS + 20_000);
  const children = new AbortController();
  let out: string;
  let sim: SimulatedFleet | undefined;
  let interrupted: CliResult;
  let interruptedSummary: FleetSummary;
  let resumed: CliResult;
  let resumedSummary: FleetSummary;
  let first: { runId: string; mtimeMs: number };

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jcstar-fleet-sigint-'));
    out = join(dir, 'out');
    sim = await startSimulatedFleet([{ mode: 'secure' }, { mode: 'insecure' }], dir, { concurrency: 1, only: ['S1.1-02'] });
    // The profiles' passwords are ${env:...} references: the CLI finds them in its environment.
    const options = { env: sim.env, timeoutMs: CLI_TIMEOUT_MS, signal: children.signal };
    let sent = false;
    // The second unit takes seconds, so the interrupt lands while it runs, after the first has finished.
    interrupted = await jcstar(['fleet', sim.fleetFile, '--out', out], {
      ...options,
      onStderr: (text, child) => {
        if (!sent && text.includes('jcstar fleet: [2/2] SIM-0002 started')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    interruptedSummary = readSummary(out);
    first = { runId: interruptedSummary.devices[0]!.runId, mtimeMs: statSync(join(out, 'SIM-0001', 'evidence.jsonl')).mtimeMs };
    resumed = await jcstar(['fleet', sim.fleetFile, '--resume', out], options);
    resumedSummary = readSummary(out);
  });
  after(async () => {
    children.abort();
    await sim?.close();
  });

  it('Ctrl-C exits 130 and the fleet summary says the first unit finished and the second was interrupted', () => {
    expect(interrupted.code, interrupted.stderr).to.equal(EXIT.INTERRUPTED);
    expect(interrupted.stderr).to.contain('jcstar: interrupted; finishing the run folder');
    expect(interruptedSummary.devices.map((d) => [d.unit, d.status, d.outcome])).to.deep.equal([
      ['SIM-0001', 'complete', 'no-fail'],
      ['SIM-0002', 'interrupted', 'interrupted'],
    ]);
    expect(interruptedSummary.outcome).to.equal('interrupted');
  });

  it('--resume skips the finished unit, keeps the interrupted folder aside and runs that unit again to the end', () => {
    expect(resumed.stderr).to.contain(`jcstar fleet: SIM-0001 finished before (run ${first.runId}); skipped`);
    expect(resumed.stderr).to.contain(`jcstar fleet: SIM-0002 did not finish before; its folder is kept as ${join(out, 'SIM-0002.interrupted-1')}`);
    expect(resumedSummary.devices[0]!.runId).to.equal(first.runId);
    expect(statSync(join(out, 'SIM-0001', 'evidence.jsonl')).mtimeMs).to.equal(first.mtimeMs);
    const aside = JSON.parse(readFileSync(join(out, 'SIM-0002.interrupted-1', 'results.json'), 'utf8')) as { run: { id: string; status: string } };
    expect([aside.run.id, aside.run.status]).to.deep.equal([interruptedSummary.devices[1]!.runId, 'interrupted']);
    expect(resumedSummary.devices[1]!.runId).to.not.equal(aside.run.id);
    expect(existsSync(join(out, 'SIM-0002.interrupted-2'))).to.equal(false);
  });

  it('the resumed fleet covers both units complete, and exits with its outcome’s code (the insecure unit FAILs)', () => {
    expect(resumedSummary.devices.map((d) => [d.unit, d.status, d.outcome])).to.deep.equal([
      ['SIM-0001', 'complete', 'no-fail'],
      ['SIM-0002', 'complete', 'fail'],
    ]);
    expect(resumedSummary.outcome).to.equal('fail');
    expect(resumed.code, resumed.stderr).to.equal(exitCodeForFleet(resumedSummary));
    expect(resumed.code).to.equal(EXIT.FAIL);
  });
});

function readSummary(dir: string): FleetSummary {
  return JSON.parse(readFileSync(join(dir, FLEET_FILES.json), 'utf8')) as FleetSummary;
}
