import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadCatalogue } from '../../catalogue/load.js';
import { writeRunReports } from '../../engine/finalize.js';
import { readRecords } from '../../evidence/store.js';
import { buildResults } from '../../results/build.js';
import { renderRequirementTable } from '../../reporters/table.js';
import { useColor } from '../color.js';
import { exitCodeFor } from '../exit-codes.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('rebuild results.json, report.html, junit.xml and manifest.json from a run folder\'s evidence log')
    .argument('<run-dir>', 'run folder holding evidence.jsonl')
    .option('--no-color', 'no ANSI colours')
    .action((dir: string, opts: { color: boolean }) => {
      const runDir = resolve(dir);
      const results = buildResults(readRecords(runDir), loadCatalogue());
      writeRunReports(runDir, results);
      process.stdout.write(`${renderRequirementTable(results, { color: useColor(opts.color) && process.stdout.isTTY === true })}\n`);
      process.exitCode = exitCodeFor(results);
    });
}
