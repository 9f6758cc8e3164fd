/**
 * Wall time of a full run (every suite, no --only) on a reference device: the device is started in its own
 * network namespace, and `jcstar run` goes inside it as in test/reference/, a fresh device for each round so
 * that no hold-off carries over. Prints each round's time and exit code, then the last round's verdicts and
 * its slowest checks.
 * Needs root and the Debian daemons of the reference devices.
 *
 * The updater devices run a real SWUpdate client (secure, or the insecure rebuild) and the hands-on update
 * trial; their line also gives the trial's own time (the check that runs it).
 *
 *   npm run bench:reference [-- --device hardened|weak|camera|updater-secure|updater-insecure --rounds 3]
 */
import { parseArgs } from 'node:util';
import type { Results } from '../harness/results/schema.js';
import { startCameraDevice } from '../test/support/reference/camera.js';
import type { ReferenceDevice } from '../test/support/reference/device.js';
import { startHardenedDevice } from '../test/support/reference/hardened.js';
import { runJcstarOn } from '../test/support/reference/run-jcstar.js';
import { verdictTable } from '../test/support/reference/verdicts.js';
import { startUpdaterDevice } from '../test/support/reference/updater.js';
import { startWeakDevice } from '../test/support/reference/weak.js';

const { values } = parseArgs({ options: { device: { type: 'string', default: 'hardened' }, rounds: { type: 'string', default: '3' } } });
const starters: Record<string, () => Promise<ReferenceDevice>> = {
  hardened: startHardenedDevice,
  weak: startWeakDevice,
  camera: startCameraDevice,
  'updater-secure': () => startUpdaterDevice('secure'),
  'updater-insecure': () => startUpdaterDevice('insecure'),
};
const start = starters[values.device];
if (!start) throw new Error(`--device must be one of ${Object.keys(starters).join(', ')}, not ${values.device}`);
const rounds = Math.max(1, Math.min(Number(values.rounds), 10));

/** Where a run's time goes: its five longest checks. */
function slowestChecks(results: Results): string {
  const slowest = [...results.checks].sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0)).slice(0, 5);
  return `slowest checks: ${slowest.map((c) => `${c.id} ${((c.durationMs ?? 0) / 1000).toFixed(1)} s`).join(', ')}`;
}

const times: number[] = [];
for (let round = 1; round <= rounds; round++) {
  const device = await start();
  try {
    const run = await runJcstarOn(device);
    times.push(run.wallMs / 1000);
    const trial = run.results?.checks.find((c) => c.id === 'S1.1-06/update/genuine-image' && c.verdict !== 'INCONCLUSIVE');
    console.log(`round ${round}: ${(run.wallMs / 1000).toFixed(1)} s, exit ${run.code}${trial ? `; the update trial ${((trial.durationMs ?? 0) / 1000).toFixed(1)} s` : ''}`);
    if (round === rounds) console.log(run.results ? `${verdictTable(run.results, run.results.requirements.map((r) => r.id))}\n${slowestChecks(run.results)}` : run.stderr);
  } finally {
    await device.stop();
  }
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`${values.device}: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} s over ${rounds} full runs (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)})`);
