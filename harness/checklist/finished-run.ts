import { resolve } from 'node:path';
import { EXIT } from '../cli/exit-codes.js';
import { checkAgainstManifest, type ManifestProblem } from '../evidence/manifest-check.js';
import { readManifest, readRunFiles, type Manifest } from '../evidence/manifest.js';
import { readResults } from '../results/read.js';
import type { Results } from '../results/schema.js';

/** What the views over a finished run read: its results and its manifest, never the device or the log. */
export interface FinishedRun {
  dir: string;
  results: Results;
  manifest: Manifest;
}

/** A run folder whose files no longer match its manifest: its results cannot be vouched for. */
export interface ChangedRun {
  dir: string;
  problems: ManifestProblem[];
}

/**
 * Reads a finished run folder, checking every file against its manifest first: the views print the
 * manifest's hashes, so a folder changed since would make them vouch for evidence that is no longer there.
 */
export function readFinishedRun(dir: string): FinishedRun | ChangedRun {
  const runDir = resolve(dir);
  const results = readResults(runDir);
  const manifest = readManifest(runDir);
  const problems = checkAgainstManifest(readRunFiles(runDir));
  return problems.length > 0 ? { dir: runDir, problems } : { dir: runDir, results, manifest };
}

/** Names every changed, added and removed file on stderr and exits 1: nothing is written. */
export function refuseChangedRun(command: string, run: ChangedRun): void {
  process.stderr.write(`jcstar ${command}: ${run.dir} does not match its manifest; nothing was written:\n`);
  for (const p of run.problems) process.stderr.write(`  ${p.message}\n`);
  process.exitCode = EXIT.FAIL;
}
