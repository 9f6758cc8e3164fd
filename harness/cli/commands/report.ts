import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadCatalogue } from '../../catalogue/load.js';
import { loadCryptoRulesFile, type BaseCryptoRules } from '../../crypto/load.js';
import { writeRunReports } from '../../engine/finalize.js';
import { EVIDENCE_FILE, readRecords, sha256 } from '../../evidence/store.js';
import type { RejudgeRecord } from '../../evidence/records.js';
import { copyRunFolder } from '../../rejudge/out-folder.js';
import { rejudgeRun, RejudgeRulesError, type Rejudgement } from '../../rejudge/rejudge.js';
import { describeRejudgement } from '../../rejudge/describe.js';
import { buildResults } from '../../results/build.js';
import { renderRequirementTable } from '../../reporters/table.js';
import { useColor } from '../color.js';
import { exitCodeFor } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

interface ReportFlags {
  rules?: string;
  out?: string;
  color: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'rebuild results.json, report.html, junit.xml and manifest.json from a run folder\'s evidence log; ' +
        'with --rules, judge the stored observations again under another crypto rule set, without the device, into a new folder (--out)',
    )
    .argument('<run-dir>', 'run folder holding evidence.jsonl')
    .option('--rules <crypto-rules.yaml>', 'a full crypto rule set (schema crypto-rules) to judge the S1.1-12 observations with; the run\'s own profile changes go on top')
    .option('--out <dir>', 'write the rebuilt run folder here (must be empty or new) instead of rewriting the views in <run-dir>; required with --rules')
    .option('--no-color', 'no ANSI colours')
    .action((dir: string, opts: ReportFlags) => {
      const runDir = resolve(dir);
      if (opts.rules !== undefined && opts.out === undefined) {
        throw new UsageError('--rules writes the re-judged run into a new folder, so that the run as judged stays unchanged: give --out DIR');
      }
      const records = readRecords(runDir);
      const rejudgement = opts.rules === undefined ? null : rejudge(runDir, records, readRules(opts.rules));
      const outDir = opts.out === undefined ? runDir : copyRunFolder(runDir, resolve(opts.out), rejudgement?.records ?? []);
      const results = buildResults(readRecords(outDir), loadCatalogue());
      writeRunReports(outDir, results);
      process.stdout.write(`${renderRequirementTable(results, { color: useColor(opts.color) && process.stdout.isTTY === true })}\n`);
      if (rejudgement) process.stdout.write(describeRejudgement(rejudgement.rejudge, buildResults(records, loadCatalogue()), results));
      if (outDir !== runDir) process.stderr.write(`jcstar: run folder ${outDir} (results.json, report.html, junit.xml, manifest.json)\n`);
      process.exitCode = exitCodeFor(results);
    });
}

function readRules(path: string): BaseCryptoRules {
  try {
    return loadCryptoRulesFile(resolve(path));
  } catch (err) {
    if (err instanceof z.ZodError) throw new UsageError(`--rules ${path}: ${err.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`--rules ${path}: no such file`);
    throw err;
  }
}

function rejudge(runDir: string, records: ReturnType<typeof readRecords>, crypto: BaseCryptoRules): Rejudgement {
  const source: RejudgeRecord['source'] = { runDir, evidenceSha256: sha256(readFileSync(join(runDir, EVIDENCE_FILE))) };
  try {
    return rejudgeRun(records, { crypto }, source);
  } catch (err) {
    if (err instanceof RejudgeRulesError) throw new UsageError(err.message);
    throw err;
  }
}
