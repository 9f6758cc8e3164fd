/**
 * A fleet of in-process simulated devices (ACME SIM-CAM, every other unit the insecure build), every suite
 * on each, through `runFleet` as `jcstar fleet` runs it. Prints the wall time of the fleet run (the devices'
 * start-up apart), the peak RSS of the process, and the time per device (min / median / max).
 * Goal (issue 11): 50 devices in under 5 minutes and under 400 MB on 2 cores.
 *
 *   npm run bench:fleet [-- --devices 50 --concurrency 20]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFleet } from '../harness/fleet/load.js';
import { runFleet } from '../harness/fleet/run.js';
import { startSimulatedFleet } from '../harness/simulator/fleet.js';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '50' }, concurrency: { type: 'string', default: '20' } } });
const count = Math.max(2, Math.min(Number(values.devices), 250));
const concurrency = Math.max(1, Math.min(Number(values.concurrency), 64));

const dir = mkdtempSync(join(tmpdir(), 'jcstar-bench-fleet-'));
const startup = Date.now();
const sim = await startSimulatedFleet(Array.from({ length: count }, (_, i) => ({ mode: i % 2 === 0 ? 'secure' : 'insecure' })), dir, { concurrency });
const fleet = await loadFleet(sim.fleetFile, { env: sim.env });
process.stderr.write(`bench: ${count} simulated devices up in ${((Date.now() - startup) / 1000).toFixed(1)} s; fleet folder ${join(dir, 'out')}\n`);

const perDevice: number[] = [];
const started = Date.now();
try {
  const { summary } = await runFleet({
    fleet,
    out: join(dir, 'out'),
    onEvent: (e) => {
      if (e.type !== 'device-end') return;
      perDevice.push(e.durationMs);
      process.stderr.write(`bench: [${perDevice.length}/${count}] ${e.unit} ${e.device.outcome} in ${(e.durationMs / 1000).toFixed(1)} s\n`);
    },
  });
  const wallS = (Date.now() - started) / 1000;
  const sorted = [...perDevice].sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const outcomes = summary.devices.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.outcome]: (acc[d.outcome] ?? 0) + 1 }), {});
  console.log(`devices: ${count} (${Math.ceil(count / 2)} secure, ${Math.floor(count / 2)} insecure), concurrency ${concurrency}`);
  console.log(`wall time: ${wallS.toFixed(1)} s`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(`per device: min ${s(sorted[0] ?? 0)}, median ${s(sorted[Math.floor(sorted.length / 2)] ?? 0)}, max ${s(sorted.at(-1) ?? 0)}`);
  console.log(`outcomes: ${JSON.stringify(outcomes)}; cross-unit ${summary.crossUnit.map((c) => `${c.id} ${c.verdict}`).join(', ')}`);
} finally {
  await sim.close();
}
