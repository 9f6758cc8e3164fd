import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readFinishedRun, type FinishedRun } from '../../harness/checklist/finished-run.js';
import { writeManifest } from '../../harness/evidence/manifest.js';
import type { Results } from '../../harness/results/schema.js';
import { tempDir } from '../support/run-profile.js';

/** A finished run folder around a results document: its files, and a manifest that hashes them. */
export function finishedRunFolder(results: Results, artifacts: string[] = []): string {
  const dir = join(tempDir('jcstar-checklist-'), 'run');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'evidence.jsonl'), '{"seq":0}\n');
  writeFileSync(join(dir, 'profile.yaml'), 'device: {}\n');
  for (const path of artifacts) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), `bytes of ${path}\n`);
  }
  writeManifest(dir, { tool: { name: 'jcstar', version: results.tool.version }, runId: results.run.id, status: results.run.status });
  return dir;
}

/** A finished run folder read as the views read it; fails the test if the folder no longer matches its manifest. */
export function readUnchanged(dir: string): FinishedRun {
  const run = readFinishedRun(dir);
  if ('problems' in run) throw new Error(`${dir} does not match its manifest: ${run.problems.map((p) => p.message).join('; ')}`);
  return run;
}
