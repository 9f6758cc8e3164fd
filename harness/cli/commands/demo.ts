import type { Command } from 'commander';
import { stringify } from 'yaml';
import { requirementIds } from '../../catalogue/load.js';
import { parseProfile } from '../../profile/load.js';
import { startSimulatedDevice } from '../../simulator/device.js';
import { useColor } from '../color.js';
import { executeRun } from '../execute-run.js';
import { parseOnly } from '../only.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run every ★1 suite against the built-in simulated device (no root, no packages needed)')
    .option('--insecure', 'simulate a device with universal default passwords and an undeclared debug port')
    .option('--out <dir>', 'run folder to write (must be empty or new); default reports/<run-id>/')
    .option('--only <ids>', 'comma-separated requirement IDs to run, e.g. S1.1-02')
    .option('--json', 'also print results.json on stdout (the table then goes to stderr)')
    .option('--no-color', 'no ANSI colours')
    .action(async (opts: { insecure?: boolean; out?: string; only?: string; json?: boolean; color: boolean }) => {
      const only = parseOnly(opts.only, requirementIds());
      const mode = opts.insecure ? 'insecure' : 'secure';
      const device = await startSimulatedDevice({ mode });
      try {
        process.stderr.write(`jcstar: simulated device (${mode}) listening on ${device.host}: ${device.services.map((s) => `${s.name} ${s.port}/${s.transport}`).join(', ')}\n`);
        const { document, env } = device.profileDocument();
        const profile = await parseProfile(stringify(document), { file: `simulated-${mode}.yaml`, path: null, env });
        process.exitCode = await executeRun(profile, only, { out: opts.out, json: opts.json, color: useColor(opts.color) });
      } finally {
        await device.close();
      }
    });
}
