import type { Command } from 'commander';
import { compareRuns } from '../../diff/compare.js';
import { readResults } from '../../results/read.js';
import { renderDiff } from '../../diff/render.js';
import { useColor } from '../color.js';
import { EXIT } from '../exit-codes.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('compare two runs (before and after a firmware fix): requirement and check verdict changes, findings fixed, new and unchanged')
    .argument('<run-a>', 'the earlier run folder (reads its results.json only)')
    .argument('<run-b>', 'the later run folder')
    .option('--json', 'print the comparison as JSON (schemas/diff.schema.json) on stdout')
    .option('--no-color', 'no ANSI colours')
    .addHelpText('after', [
        '',
        'Exit codes: 0 no regression · 1 regression: run-b was aborted or interrupted, a verdict became FAIL, a PASS or',
        'NOT_APPLICABLE requirement or check is now anything else or absent, or a new finding (the output says which)',
        '· 2 usage (a folder or its results.json missing or invalid).',
      ].join('\n'))
    .action((a: string, b: string, opts: { json?: boolean; color: boolean }) => {
      const diff = compareRuns({ dir: a, results: readResults(a) }, { dir: b, results: readResults(b) });
      process.stdout.write(opts.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff, { color: useColor(opts.color) && process.stdout.isTTY === true }));
      process.exitCode = diff.regression ? EXIT.FAIL : EXIT.OK;
    });
}
