import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../cli/usage-error.js';
import { MANIFEST_FILE } from '../evidence/manifest.js';
import { Results } from '../results/schema.js';

/** What the views over a finished run read: its results and its manifest, never the device or the log. */
export interface FinishedRun {
  dir: string;
  results: Results;
  manifest: Manifest;
}

const Manifest = z.object({
  runId: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })),
});
type Manifest = z.infer<typeof Manifest>;

function readJson(dir: string, file: string, remedy: string): unknown {
  const path = resolve(dir, file);
  if (!existsSync(path)) throw new UsageError(`${dir}: no ${file}; ${remedy}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(top)'}: ${issue.message}`;
}

export function readFinishedRun(dir: string): FinishedRun {
  const runDir = resolve(dir);
  if (!existsSync(runDir)) throw new UsageError(`${dir}: no such run folder`);
  const rawResults = readJson(runDir, 'results.json', 'is this a run folder? `jcstar report <run-dir>` rebuilds results.json from evidence.jsonl');
  const results = Results.safeParse(rawResults);
  if (!results.success) throw new UsageError(`${dir}/results.json: not a jcstar results.json of this version (${firstIssue(results.error)})`);
  const rawManifest = readJson(runDir, MANIFEST_FILE, '`jcstar report <run-dir>` writes it');
  const manifest = Manifest.safeParse(rawManifest);
  if (!manifest.success) throw new UsageError(`${dir}/${MANIFEST_FILE}: not a jcstar manifest (${firstIssue(manifest.error)})`);
  // The parsed copy drops fields this version does not know (such as `recognition` before it is merged);
  // the views read the document as written, which the schema has just accepted.
  return { dir: runDir, results: rawResults as Results, manifest: manifest.data };
}

/** A finished run folder is hashed by its manifest: a view written into it would break that. */
export function refuseInsideRun(out: string, runDir: string): void {
  const rel = relative(resolve(runDir), resolve(out));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new UsageError(`--out ${out}: inside the run folder, whose files its manifest hashes; choose a folder outside it`);
  }
}
