import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sha256 } from './store.js';

export const MANIFEST_FILE = 'manifest.json';

export interface Manifest {
  tool: { name: 'jcstar'; version: string };
  runId: string;
  status: string;
  createdAt: string;
  files: Array<{ path: string; sha256: string; bytes: number }>;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
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
