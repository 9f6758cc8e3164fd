import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
