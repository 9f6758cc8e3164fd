import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isBelow } from '../paths.js';
import { UsageError } from './usage-error.js';

// The existing part of a path with its links resolved, and the rest as given: --out may not exist yet.
function realPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
}

/** A finished run folder is hashed by its manifest: a view written into it would break that. */
export function refuseInsideRun(out: string, runDir: string): void {
  const [run, target] = [realPath(runDir), realPath(out)];
  if (target === run || isBelow(run, target)) {
    throw new UsageError(`--out ${out}: inside the run folder, whose files its manifest hashes; choose a folder outside it`);
  }
}
