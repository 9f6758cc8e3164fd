import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadCatalogue } from '../catalogue/load.js';
import type { Catalogue } from '../catalogue/schema.js';
import { UsageError } from '../cli/usage-error.js';
import { cataloguePath } from '../paths.js';
import { Scheme, type SchemeMaps } from './schema.js';

const SCHEMES_DIR = cataloguePath('schemes');

export function schemeIds(): string[] {
  return readdirSync(SCHEMES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** The ★1 requirements a scheme requirement maps to, in catalogue order. */
export function mappedStar1(maps: SchemeMaps, catalogue: Catalogue = loadCatalogue()): string[] {
  return catalogue.requirements
    .filter(
      (r) =>
        (maps.star1 ?? []).includes(r.id) ||
        r.etsi.some((p) => (maps.etsi ?? []).includes(p)) ||
        r.nistir8425.some((n) => (maps.nistir8425 ?? []).includes(n)),
    )
    .map((r) => r.id);
}

/** Loads and validates a scheme mapping; a ★1 ID the catalogue does not know is an error, not a silent gap. */
export function loadScheme(id: string, catalogue: Catalogue = loadCatalogue()): Scheme {
  const file = cataloguePath('schemes', `${id}.yaml`);
  if (!/^[a-z0-9-]+$/.test(id) || !existsSync(file)) {
    throw new UsageError(`--scheme ${id}: unknown scheme; known: ${schemeIds().join(', ')}`);
  }
  const scheme = Scheme.parse(parse(readFileSync(file, 'utf8')));
  if (scheme.id !== id) throw new Error(`${file}: id ${scheme.id} does not match the file name`);
  const known = new Set(catalogue.requirements.map((r) => r.id));
  for (const r of scheme.requirements) {
    const unknown = (r.maps.star1 ?? []).filter((s) => !known.has(s));
    if (unknown.length > 0) throw new Error(`${file}: ${r.id} maps to unknown ★1 requirement(s) ${unknown.join(', ')}`);
  }
  return scheme;
}
