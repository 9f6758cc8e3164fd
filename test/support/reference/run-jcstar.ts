import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results } from '../../../harness/results/schema.js';
import { jcstar, type CliResult } from '../cli.js';
import { tempDir } from '../run-profile.js';
import type { ReferenceDevice } from './device.js';

export interface ReferenceRun extends CliResult {
  runDir: string;
  /** results.json of the run folder; null when jcstar wrote none (e.g. a profile error, exit 2). */
  results: Results | null;
  wallMs: number;
}

/**
 * `jcstar run <profile> --out <dir> --json` inside the device's network namespace, every suite, the secrets
 * in the child's environment only: the way a new user runs it on a lab bench.
 */
export async function runJcstarOn(device: ReferenceDevice): Promise<ReferenceRun> {
  const runDir = join(tempDir('jcstar-ref-run-'), 'run');
  const started = Date.now();
  const cli = await jcstar(['run', device.profileFile, '--out', runDir, '--json'], { netns: device.netns, env: device.env });
  const wallMs = Date.now() - started;
  const file = join(runDir, 'results.json');
  const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : null;
  return { ...cli, runDir, results, wallMs };
}

/** The run's results.json, or a failure that shows why jcstar wrote none (its stderr names a profile error). */
export function resultsOf(run: ReferenceRun): Results {
  if (!run.results) throw new Error(`jcstar wrote no results.json (exit ${run.code}):\n${run.stderr}`);
  return run.results;
}
