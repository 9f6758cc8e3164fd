import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/usage-error.js';
import { Results } from '../results/schema.js';

/** A run folder's results.json, validated; anything missing or malformed is a usage error (nothing to compare). */
export function readRunResults(dir: string): Results {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`diff: ${dir} is not a run folder`);
  const file = join(dir, 'results.json');
  if (!existsSync(file)) throw new UsageError(`diff: ${dir} holds no results.json (run \`jcstar report ${dir}\` to rebuild it from evidence.jsonl)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`diff: ${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = Results.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UsageError(`diff: ${file} is not a valid results.json: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return parsed.data;
}
