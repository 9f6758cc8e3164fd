import type { Command } from 'commander';
import { resolve } from 'node:path';
import { readFinishedRun, refuseChangedRun } from '../../checklist/finished-run.js';
import { refuseInsideRun } from '../out-outside-run.js';
import { loadChecklistLayout } from '../../checklist/layout.js';
import { writeChecklist } from '../../checklist/write.js';

export function registerChecklist(program: Command): void {
  program
    .command('checklist')
    .description('write the ★1 checklist (checklist.xlsx and checklist.csv, Japanese and English) from a finished run folder')
    .argument('<run-dir>', 'run folder holding results.json and manifest.json')
    .option('--out <dir>', 'folder to write into (never the run folder, which its manifest hashes)', '.')
    .addHelpText(
      'after',
      '\nThe official IPA checklist layout is not public here; the layout is catalogue/checklist/layout.yaml.\n' +
        'Exit codes: 0 written · 1 the run folder no longer matches its manifest (nothing written) · 2 usage.',
    )
    .action(async (dir: string, opts: { out: string }) => {
      const run = readFinishedRun(dir);
      if ('problems' in run) return refuseChangedRun('checklist', run);
      const out = resolve(opts.out);
      refuseInsideRun(out, run.dir);
      if (run.results.run.status !== 'complete') process.stderr.write(`jcstar: warning: the run is ${run.results.run.status}; the checklist says its results are incomplete\n`);
      for (const file of await writeChecklist(run, loadChecklistLayout(), out)) process.stderr.write(`wrote ${file}\n`);
    });
}
