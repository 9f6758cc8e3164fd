import { createHash } from 'node:crypto';
import { MANIFEST_FILE } from '../evidence/manifest.js';
import type { BundleProblem } from './problems.js';

interface ListedFile {
  path: string;
  sha256: string;
}

function listedFiles(manifest: Buffer): ListedFile[] | null {
  try {
    const files = (JSON.parse(manifest.toString('utf8')) as { files?: unknown }).files;
    if (!Array.isArray(files)) return null;
    const valid = files.every((f) => typeof f?.path === 'string' && typeof f?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256));
    return valid ? (files as ListedFile[]) : null;
  } catch {
    return null;
  }
}

/**
 * Compares a run folder's files (paths relative to the folder, manifest.json among them) with its manifest:
 * every listed file present with its hash, and no file the manifest does not list.
 */
export function checkAgainstManifest(files: Map<string, Buffer>, prefix = ''): BundleProblem[] {
  const manifest = files.get(MANIFEST_FILE);
  if (!manifest) return [{ code: 'removed', file: `${prefix}${MANIFEST_FILE}`, message: `removed: ${prefix}${MANIFEST_FILE} (the run folder has no manifest)` }];
  const listed = listedFiles(manifest);
  if (!listed) return [{ code: 'manifest', file: `${prefix}${MANIFEST_FILE}`, message: `${prefix}${MANIFEST_FILE} is not a jcstar manifest (no list of files with SHA-256)` }];
  const problems: BundleProblem[] = [];
  const names = new Set(listed.map((f) => f.path));
  for (const { path, sha256 } of listed) {
    const bytes = files.get(path);
    const file = `${prefix}${path}`;
    if (!bytes) {
      problems.push({ code: 'removed', file, message: `removed: ${file} (listed in the manifest, missing)` });
      continue;
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) problems.push({ code: 'changed', file, message: `changed: ${file} (sha256 ${actual}, manifest says ${sha256})` });
  }
  for (const path of [...files.keys()].sort()) {
    if (path !== MANIFEST_FILE && !names.has(path)) problems.push({ code: 'added', file: `${prefix}${path}`, message: `added: ${prefix}${path} (not in the manifest)` });
  }
  return problems;
}
