import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this file (in src or dist) that holds package.json. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('jcstar: cannot find the package root');
    dir = parent;
  }
  return dir;
}

export const packageRoot = findRoot();

export function cataloguePath(...parts: string[]): string {
  return join(packageRoot, 'catalogue', ...parts);
}

export function schemaPath(name: string): string {
  return join(packageRoot, 'schemas', name);
}

/** `path` lies below `root` (not `root` itself), comparing the two as given. */
export function isBelow(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
