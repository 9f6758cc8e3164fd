import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { requirementIds } from '../../catalogue/load.js';
import { loadFleet } from '../../fleet/load.js';
import { fleetProgressPrinter } from '../../fleet/progress.js';
import { runFleet } from '../../fleet/run.js';
import { exitCodeForFleet } from '../../fleet/summary.js';
import { FLEET_FILES } from '../../fleet/write-summary.js';
import { newRunId } from '../../engine/run-folder.js';
import { useColor } from '../color.js';
import { parseHandsOn } from '../hands-on.js';
import { abortOnSigint } from '../interrupt.js';
import { parseOnly } from '../only.js';
import { UsageError } from '../usage-error.js';

export function registerFleet(program: Command): void {
  program
    .command('fleet')
    .description('run many devices (profiles, or units of one model) with a global concurrency cap, check initial passwords across units, and write one summary')
    .argument('<fleet>', 'fleet file (YAML): devices, concurrency, only, handsOn')
    .option('--out <dir>', 'fleet folder to write (must be empty or new); default reports/fleet-<id>/')
    .option('--concurrency <n>', 'devices at once (overrides the fleet file; default 4)')
    .option('--resume <fleet-dir>', 'go on in a fleet folder: devices that finished under the same profile, selection and hands-on tests are kept, the others run again')
    .option('--only <ids>', 'comma-separated requirement IDs to run on every device (overrides the fleet file)')
    .option('--hands-on <tests>', 'hands-on tests to add on every device (update, resilience, reset; comma-separated)')
    .option('--json', 'also print fleet-summary.json on stdout')
    .option('--no-color', 'no ANSI colours')
    .action(async (file: string, opts: { out?: string; concurrency?: string; resume?: string; only?: string; handsOn?: string; json?: boolean; color: boolean }) => {
      const only = parseOnly(opts.only, requirementIds());
      const handsOn = parseHandsOn(opts.handsOn);
      const concurrency = parseConcurrency(opts.concurrency);
      if (opts.resume && opts.out && resolve(opts.out) !== resolve(opts.resume)) throw new UsageError('--resume writes into the fleet folder it resumes; leave out --out');
      const loaded = await loadFleet(file);
      const fleet = { ...loaded, only: only ?? loaded.only, handsOn: handsOn.length > 0 ? handsOn : loaded.handsOn };
      const out = opts.resume ?? opts.out ?? join('reports', `fleet-${newRunId()}`);
      const interrupt = abortOnSigint(process.stderr);
      try {
        const { out: dir, summary } = await runFleet({ fleet, out, concurrency, resume: opts.resume !== undefined, signal: interrupt.signal, onEvent: fleetProgressPrinter(process.stderr, useColor(opts.color)) });
        for (const c of summary.crossUnit) process.stderr.write(`jcstar fleet: ${c.id}: ${c.verdict}: ${c.reason}\n`);
        for (const note of summary.notes) process.stderr.write(`jcstar fleet: note: ${note}\n`);
        process.stderr.write(`jcstar fleet: ${summary.devices.length} device(s), outcome ${summary.outcome}; summary in ${join(dir, FLEET_FILES.html)}\n`);
        if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        process.exitCode = exitCodeForFleet(summary);
      } finally {
        interrupt.dispose();
      }
    });
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--concurrency: expected a whole number from 1 to 64, found "${value}"`);
  return n;
}
