import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadCatalogue } from '../../catalogue/load.js';
import { loadCryptoRulesFile } from '../../crypto/load.js';
import { loadPolicyFile } from '../../policy/load.js';
import { policyWithRunOverrides } from '../../rejudge/policy.js';
import { writeRunReports } from '../../engine/finalize.js';
import { EVIDENCE_FILE, readRecords, sha256 } from '../../evidence/store.js';
import type { RejudgeRecord } from '../../evidence/records.js';
import { copyRunFolder } from '../../rejudge/out-folder.js';
import { refuseInsideRun } from '../out-outside-run.js';
import { rejudgeRun, RejudgeRulesError, type Rejudgement, type RejudgeRules } from '../../rejudge/rejudge.js';
import { describeRejudgement } from '../../rejudge/describe.js';
import { buildResults } from '../../results/build.js';
import { renderRequirementTable } from '../../reporters/table.js';
import { useColor } from '../color.js';
import { exitCodeFor } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

interface ReportFlags {
  rules?: string;
  policy?: string;
  out?: string;
  color: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'rebuild results.json, report.html, junit.xml and manifest.json from a run folder\'s evidence log; ' +
        'with --rules or --policy, judge the stored observations again, without the device, into a new folder (--out)',
    )
    .argument('<run-dir>', 'run folder holding evidence.jsonl')
    .option('--rules <crypto-rules.yaml>', 'a full crypto rule set (schema crypto-rules) to judge the S1.1-12 observations with; the run\'s own profile changes go on top')
    .option('--policy <policy.yaml>', 'a full policy (as catalogue/policy/default-policy.yaml) to judge S1.1-04\'s projected guess rates with; the run\'s own profile overrides go on top')
    .option('--out <dir>', 'write the rebuilt run folder here (must be empty or new) instead of rewriting the views in <run-dir>; required with --rules and --policy')
    .option('--no-color', 'no ANSI colours')
    .action((dir: string, opts: ReportFlags) => {
      const runDir = resolve(dir);
      const rejudging = opts.rules !== undefined || opts.policy !== undefined;
      if (rejudging && opts.out === undefined) {
        throw new UsageError(`${opts.rules !== undefined ? '--rules' : '--policy'} writes the re-judged run into a new folder, so that the run as judged stays unchanged: give --out DIR`);
      }
      if (opts.out !== undefined) refuseInsideRun(opts.out, runDir);
      const records = readRecords(runDir);
      const rules: RejudgeRules = {
        crypto: opts.rules === undefined ? null : readRulesFile('--rules', opts.rules, loadCryptoRulesFile),
        policy: opts.policy === undefined ? null : readRulesFile('--policy', opts.policy, (path) => policyWithRunOverrides(loadPolicyFile(path), runDir)),
      };
      const rejudgement = rejudging ? rejudge(runDir, records, rules) : null;
      const outDir = opts.out === undefined ? runDir : copyRunFolder(runDir, resolve(opts.out), rejudgement?.records ?? []);
      const results = buildResults(readRecords(outDir), loadCatalogue());
      writeRunReports(outDir, results);
      process.stdout.write(`${renderRequirementTable(results, { color: useColor(opts.color) && process.stdout.isTTY === true })}\n`);
      if (rejudgement) process.stdout.write(describeRejudgement(rejudgement.rejudge, buildResults(records, loadCatalogue()), results));
      if (outDir !== runDir) process.stderr.write(`jcstar: run folder ${outDir} (results.json, report.html, junit.xml, manifest.json)\n`);
      process.exitCode = exitCodeFor(results);
    });
}

/** A rule file, loaded and validated; what is wrong with it is a usage error naming the option. */
function readRulesFile<T>(option: string, path: string, load: (path: string) => T): T {
  try {
    return load(resolve(path));
  } catch (err) {
    if (err instanceof z.ZodError) throw new UsageError(`${option} ${path}: ${err.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${option} ${path}: no such file`);
    throw err;
  }
}

function rejudge(runDir: string, records: ReturnType<typeof readRecords>, rules: RejudgeRules): Rejudgement {
  const source: RejudgeRecord['source'] = { runDir, evidenceSha256: sha256(readFileSync(join(runDir, EVIDENCE_FILE))) };
  try {
    return rejudgeRun(records, rules, source);
  } catch (err) {
    if (err instanceof RejudgeRulesError) throw new UsageError(err.message);
    throw err;
  }
}
