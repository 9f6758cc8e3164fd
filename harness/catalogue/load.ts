import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { cataloguePath } from '../paths.js';
import { Catalogue } from './schema.js';

const cache = new Map<string, Catalogue>();

/** Loads and validates a requirement catalogue; the default is ★1. */
export function loadCatalogue(id = 'star1'): Catalogue {
  const cached = cache.get(id);
  if (cached) return cached;
  const file = cataloguePath(id, 'requirements.yaml');
  const catalogue = Catalogue.parse(parse(readFileSync(file, 'utf8')));
  cache.set(id, catalogue);
  return catalogue;
}

export function requirementIds(catalogue = loadCatalogue()): string[] {
  return catalogue.requirements.map((r) => r.id);
}
