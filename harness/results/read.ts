import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../cli/parse-document.js';
import { UsageError } from '../cli/usage-error.js';
import { Results } from './schema.js';

export const RESULTS_FILE = 'results.json';

/** A results.json's bytes, validated and typed; `source` names them in the error. */
export function parseResults(bytes: Buffer, source: string): Results {
  return parseDocument(bytes, source, Results, 'a valid results.json');
}

/** A run folder's results.json; a missing folder or file, or one that is not valid, is a usage error. */
export function readResults(runDir: string): Results {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new UsageError(`${runDir} is not a run folder`);
  const file = join(runDir, RESULTS_FILE);
  if (!existsSync(file)) throw new UsageError(`${runDir} holds no ${RESULTS_FILE} (run \`jcstar report ${runDir}\` to rebuild it from evidence.jsonl)`);
  return parseResults(readFileSync(file), file);
}
