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
export function mappedStar1(maps: SchemeMaps | null, catalogue: Catalogue = loadCatalogue()): string[] {
  if (maps === null) return [];
  return catalogue.requirements
    .filter(
      (r) =>
        (maps.star1 ?? []).includes(r.id) ||
        r.etsi.some((p) => (maps.etsi ?? []).includes(p)) ||
        r.nistir8425.some((n) => (maps.nistir8425 ?? []).includes(n)),
    )
    .map((r) => r.id);
}

/**
 * Validates a scheme mapping against the ★1 catalogue: a ★1 ID, EN 303 645 provision or NISTIR 8425 label
 * the catalogue does not know is an error (a typo would otherwise read as "not covered"). `source` names it.
 */
export function parseScheme(document: unknown, source: string, catalogue: Catalogue = loadCatalogue()): Scheme {
  const scheme = Scheme.parse(document);
  const known = {
    star1: new Set(catalogue.requirements.map((r) => r.id)),
    etsi: new Set(catalogue.requirements.flatMap((r) => r.etsi)),
    nistir8425: new Set(catalogue.requirements.flatMap((r) => r.nistir8425)),
  };
  const what = { star1: '★1 requirement(s)', etsi: 'EN 303 645 provision(s) in the ★1 catalogue', nistir8425: 'NISTIR 8425 label(s) in the ★1 catalogue' };
  for (const r of scheme.requirements) {
    for (const key of ['star1', 'etsi', 'nistir8425'] as const) {
      const unknown = (r.maps?.[key] ?? []).filter((s) => !known[key].has(s));
      if (unknown.length > 0) throw new Error(`${source}: ${r.id} maps to unknown ${what[key]} ${unknown.join(', ')}`);
    }
  }
  return scheme;
}

/** Loads catalogue/schemes/<id>.yaml and validates it (parseScheme). */
export function loadScheme(id: string, catalogue: Catalogue = loadCatalogue()): Scheme {
  const file = cataloguePath('schemes', `${id}.yaml`);
  if (!/^[a-z0-9-]+$/.test(id) || !existsSync(file)) {
    throw new UsageError(`--scheme ${id}: unknown scheme; known: ${schemeIds().join(', ')}`);
  }
  const scheme = parseScheme(parse(readFileSync(file, 'utf8')), file, catalogue);
  if (scheme.id !== id) throw new Error(`${file}: id ${scheme.id} does not match the file name`);
  return scheme;
}
