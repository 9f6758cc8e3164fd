import type { Command } from 'commander';
import { requirementIds } from '../../catalogue/load.js';
import { loadProfile } from '../../profile/load.js';
import { executeRun } from '../execute-run.js';
import { parseOnly } from '../only.js';
import { useColor } from '../color.js';
import { parseScanSpeed, withScanSpeed } from '../scan-speed.js';
import { parseHandsOn, withHandsOn } from '../hands-on.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the ★1 suites against the device a profile describes')
    .argument('<profile>', 'device profile (YAML)')
    .option('--out <dir>', 'run folder to write (must be empty or new); default reports/<run-id>/')
    .option('--only <ids>', 'comma-separated requirement IDs to run, e.g. S1.1-02,S1.1-12')
    .option('--scan-speed <speed>', 'TCP port scan speed: gentle (the policy default, for fragile IoT stacks) or fast')
    .option('--hands-on <tests>', 'also run tests that can change the device: update (serve tampered images as its update server), resilience (power and network outages), reset (factory reset); comma-separated')
    .option('--resume <run-dir>', 'go on with the TCP port scan of an interrupted run (same profile and target)')
    .option('--json', 'also print results.json on stdout (the table then goes to stderr)')
    .option('--no-color', 'no ANSI colours')
    .action(async (file: string, opts: { out?: string; only?: string; scanSpeed?: string; handsOn?: string; resume?: string; json?: boolean; color: boolean }) => {
      const only = parseOnly(opts.only, requirementIds());
      const speed = parseScanSpeed(opts.scanSpeed);
      const handsOn = parseHandsOn(opts.handsOn);
      const profile = withHandsOn(withScanSpeed(await loadProfile(file), speed), handsOn);
      process.exitCode = await executeRun(profile, only, { out: opts.out, resume: opts.resume, json: opts.json, color: useColor(opts.color) });
    });
}
