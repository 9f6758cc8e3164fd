import { UsageError } from '../cli/usage-error.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from './manifest.js';
import { sha256 as sha256Of } from './store.js';

/** One way a run folder differs from its manifest, naming the file. */
export interface ManifestProblem {
  code: 'manifest' | 'changed' | 'added' | 'removed';
  file: string;
  message: string;
}

/**
 * Compares a run folder's files (paths relative to the folder, manifest.json among them) with its manifest:
 * every listed file present with its hash, and no file the manifest does not list. `prefix` is where the
 * folder sits in what is being checked (run/ in a bundle), for the messages.
 */
export function checkAgainstManifest(files: Map<string, Buffer>, prefix = ''): ManifestProblem[] {
  const manifestFile = `${prefix}${MANIFEST_FILE}`;
  const bytes = files.get(MANIFEST_FILE);
  if (!bytes) return [{ code: 'removed', file: manifestFile, message: `removed: ${manifestFile} (the run folder has no manifest)` }];
  let manifest: Manifest;
  try {
    manifest = parseManifest(bytes, manifestFile);
  } catch (err) {
    if (err instanceof UsageError) return [{ code: 'manifest', file: manifestFile, message: err.message }];
    throw err;
  }
  const problems: ManifestProblem[] = [];
  const names = new Set(manifest.files.map((f) => f.path));
  for (const { path, sha256 } of manifest.files) {
    const bytes = files.get(path);
    const file = `${prefix}${path}`;
    if (!bytes) {
      problems.push({ code: 'removed', file, message: `removed: ${file} (listed in the manifest, missing)` });
      continue;
    }
    const actual = sha256Of(bytes);
    if (actual !== sha256) problems.push({ code: 'changed', file, message: `changed: ${file} (sha256 ${actual}, manifest says ${sha256})` });
  }
  for (const path of [...files.keys()].sort()) {
    if (path !== MANIFEST_FILE && !names.has(path)) problems.push({ code: 'added', file: `${prefix}${path}`, message: `added: ${prefix}${path} (not in the manifest)` });
  }
  return problems;
}
