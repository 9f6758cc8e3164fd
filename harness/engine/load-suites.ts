import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../paths.js';
import type { RequirementSuite } from '../suite/define.js';

/** The compiled suites/ folder: one module per requirement, each exporting a RequirementSuite as default. */
export const SUITES_DIR = join(packageRoot, 'dist', 'suites');

export async function loadSuites(dir = SUITES_DIR): Promise<RequirementSuite[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const suites: RequirementSuite[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: RequirementSuite };
    if (!mod.default || typeof mod.default.plan !== 'function') {
      throw new Error(`suites/${file} must export a requirementSuite(...) as default`);
    }
    suites.push(mod.default);
  }
  return suites;
}
