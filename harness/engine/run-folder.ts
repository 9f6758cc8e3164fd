import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class RunFolderError extends Error {}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** `--out DIR` is used as given (it must be empty or new); otherwise reports/<run-id>/. */
export function createRunFolder(runId: string, out: string | undefined, reportsDir: string): string {
  const dir = resolve(out ?? join(reportsDir, runId));
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new RunFolderError(`output folder ${dir} is not empty; choose a new --out folder so that no evidence is overwritten`);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}
