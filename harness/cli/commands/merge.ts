import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { exitCodeForFleet } from '../../fleet/summary.js';
import { mergeRuns } from '../../fleet/merge.js';
import { FLEET_FILES } from '../../fleet/write-summary.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine run folders (or fleet folders) made on different machines, e.g. CI shards, into one fleet summary')
    .argument('<run-dir...>', 'run folders or fleet folders')
    .option('--out <dir>', 'folder for the summary (must be empty or new); default reports/merge-<id>/')
    .option('--json', 'also print fleet-summary.json on stdout')
    .action((dirs: string[], opts: { out?: string; json?: boolean }) => {
      const { out, summary } = mergeRuns(dirs, opts.out, resolve('reports'));
      for (const note of summary.notes) process.stderr.write(`jcstar merge: note: ${note}\n`);
      process.stderr.write(`jcstar merge: ${summary.devices.length} device(s), outcome ${summary.outcome}; summary in ${join(out, FLEET_FILES.html)}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      process.exitCode = exitCodeForFleet(summary);
    });
}
