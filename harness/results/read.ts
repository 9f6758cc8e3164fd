import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../cli/usage-error.js';
import { Results } from './schema.js';

export const RESULTS_FILE = 'results.json';

/** Where a document fails its schema, on one line. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

/** A results.json's bytes, validated and typed; `source` names them in the error. */
export function parseResults(bytes: Buffer, source: string): Results {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UsageError(`${source} is not JSON: ${(err as Error).message}`);
  }
  const parsed = Results.safeParse(json);
  if (!parsed.success) throw new UsageError(`${source} is not a valid results.json: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/** A run folder's results.json; a missing folder or file, or one that is not valid, is a usage error. */
export function readResults(runDir: string): Results {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new UsageError(`${runDir} is not a run folder`);
  const file = join(runDir, RESULTS_FILE);
  if (!existsSync(file)) throw new UsageError(`${runDir} holds no ${RESULTS_FILE} (run \`jcstar report ${runDir}\` to rebuild it from evidence.jsonl)`);
  return parseResults(readFileSync(file), file);
}
