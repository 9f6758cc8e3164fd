import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { parseDocument } from '../cli/parse-document.js';
import { UsageError } from '../cli/usage-error.js';
import { sha256 } from './store.js';

export const MANIFEST_FILE = 'manifest.json';

/** manifest.json: the SHA-256 of every file of a run folder (but itself). */
export const Manifest = z.object({
  tool: z.object({ name: z.literal('jcstar'), version: z.string() }),
  runId: z.string(),
  status: z.string(),
  createdAt: z.string(),
  files: z.array(z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })),
});
export type Manifest = z.infer<typeof Manifest>;

/** A manifest's bytes, parsed and validated; `source` names them in the error. */
export function parseManifest(bytes: Buffer, source: string): Manifest {
  return parseDocument(bytes, source, Manifest, 'a jcstar manifest');
}

/** A run folder's manifest.json; missing or malformed is a usage error. */
export function readManifest(runDir: string): Manifest {
  const file = join(runDir, MANIFEST_FILE);
  if (!existsSync(file)) throw new UsageError(`${runDir} holds no ${MANIFEST_FILE} (\`jcstar report ${runDir}\` writes it)`);
  return parseManifest(readFileSync(file), file);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/** Every file of a run folder, by the path the manifest gives it (relative, with `/`), manifest.json among them. */
export function readRunFiles(runDir: string): Map<string, Buffer> {
  return new Map(listFiles(runDir).map((path) => [relative(runDir, path).split(sep).join('/'), readFileSync(path)]));
}

/** Hashes every file of the run folder (but itself), so a lab can show the bundle is unchanged. */
export function writeManifest(runDir: string, head: Omit<Manifest, 'files' | 'createdAt'>): Manifest {
  const files = listFiles(runDir)
    .map((path) => relative(runDir, path).split(sep).join('/'))
    .filter((path) => path !== MANIFEST_FILE)
    .sort()
    .map((path) => {
      const bytes = readFileSync(join(runDir, path));
      return { path, sha256: sha256(bytes), bytes: bytes.length };
    });
  const manifest: Manifest = { ...head, createdAt: new Date().toISOString(), files };
  writeFileSync(join(runDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
