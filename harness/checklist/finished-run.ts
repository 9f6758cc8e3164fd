import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EXIT } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
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

// The existing part of a path with its links resolved, and the rest as given: --out may not exist yet.
function realPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
}

/** A finished run folder is hashed by its manifest: a view written into it would break that. */
export function refuseInsideRun(out: string, runDir: string): void {
  const rel = relative(realPath(runDir), realPath(out));
  if (rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))) {
    throw new UsageError(`--out ${out}: inside the run folder, whose files its manifest hashes; choose a folder outside it`);
  }
}
