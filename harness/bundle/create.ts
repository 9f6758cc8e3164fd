import { createPublicKey, type KeyObject } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/usage-error.js';
import { MANIFEST_FILE } from '../evidence/manifest.js';
import { parseResults, RESULTS_FILE } from '../results/read.js';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse.js';
import { keyIdOf } from './keys.js';
import { checkAgainstManifest } from '../evidence/manifest-check.js';
import { MAX_BUNDLE_BYTES, type BundleProblem } from './problems.js';
import { buildStatement, type TestResultStatement } from './statement.js';
import { archivedSize, END_OF_ARCHIVE_BYTES, writeTar } from './tar.js';

export const ENVELOPE_FILE = 'attestation.dsse.json';
export const RUN_PREFIX = 'run/';

/** verify reads whole archives up to a cap, so bundle never writes one over it (headers and padding included). */
function tooLarge(runDir: string, maxBytes: number): UsageError {
  return new UsageError(`${runDir} makes a bundle over ${maxBytes} bytes; jcstar verify reads at most that`);
}

/** Every regular file under the run folder, by its path relative to it; anything else is refused. */
function readRunFolder(runDir: string, maxBytes: number): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  // Counted as the archive will hold them, so that reading stops before the folder outgrows the cap.
  let total = END_OF_ARCHIVE_BYTES;
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path, name);
      else if (entry.isFile()) {
        total += archivedSize(lstatSync(path).size);
        if (total > maxBytes) throw tooLarge(runDir, maxBytes);
        files.set(name, readFileSync(path));
      } else throw new UsageError(`${path} is not a regular file; a run folder holds only files and folders`);
    }
  };
  try {
    walk(runDir, '');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the run folder ${runDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return files;
}

export type BundleOutcome = { problems: BundleProblem[] } | { problems: []; blocks: Buffer[]; statement: TestResultStatement; keyId: string };

/**
 * Signs a run folder as one archive: run/… and the DSSE envelope of an in-toto test-result statement whose
 * subject is run/manifest.json. A folder that no longer matches its manifest is refused: signing it would
 * vouch for evidence that was already changed.
 */
export function createBundle(runDir: string, privateKey: KeyObject, maxBytes = MAX_BUNDLE_BYTES): BundleOutcome {
  if (!lstatSync(runDir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${runDir} is not a run folder`);
  const files = readRunFolder(runDir, maxBytes);
  if (!files.has(MANIFEST_FILE)) throw new UsageError(`${runDir} has no manifest.json (jcstar report writes one)`);
  const problems = checkAgainstManifest(files);
  if (problems.length > 0) return { problems };
  const profile = files.get('profile.yaml');
  if (!profile) throw new UsageError(`${runDir} has no profile.yaml`);
  const results = files.get(RESULTS_FILE);
  if (!results) throw new UsageError(`${runDir} has no results.json (rebuild it with jcstar report)`);
  // The bytes just checked against the manifest: a second read from disk could differ from what is signed.
  const statement = buildStatement(files.get(MANIFEST_FILE)!, profile, parseResults(results, join(runDir, RESULTS_FILE)));
  const keyId = keyIdOf(createPublicKey(privateKey));
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), privateKey, keyId);
  const entries = [
    { path: ENVELOPE_FILE, bytes: Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`) },
    ...[...files.keys()].sort().map((path) => ({ path: `${RUN_PREFIX}${path}`, bytes: files.get(path)! })),
  ];
  const blocks = writeTar(entries);
  if (blocks.reduce((size, block) => size + block.length, 0) > maxBytes) throw tooLarge(runDir, maxBytes);
  return { problems: [], blocks, statement, keyId };
}
