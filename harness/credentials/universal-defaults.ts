import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { cataloguePath } from '../paths.js';
import { Secret } from '../secrets/secret.js';
import type { TrialCredential } from '../probes/auth-observation.js';

export const CREDENTIAL_FAMILIES = ['http', 'ssh', 'telnet', 'mqtt', 'ftp', 'rtsp', 'snmp'] as const;
export type CredentialFamily = (typeof CREDENTIAL_FAMILIES)[number];

const DefaultsFile = z.strictObject({
  version: z.string(),
  sources: z.record(z.string(), z.string()),
  entries: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z0-9-]+$/),
      family: z.enum(CREDENTIAL_FAMILIES),
      username: z.string(),
      password: z.string(),
      source: z.string(),
    }),
  ),
});

export interface DefaultCredential extends TrialCredential {
  id: string;
  family: CredentialFamily;
  source: string;
}

export interface DefaultCredentialList {
  version: string;
  entries: DefaultCredential[];
}

/** Loads the list; passwords become Secrets labelled with their entry ID, so evidence names the entry only. */
export function loadUniversalDefaults(file = cataloguePath('credentials', 'universal-defaults.yaml')): DefaultCredentialList {
  const data = DefaultsFile.parse(parse(readFileSync(file, 'utf8')));
  const ids = new Set<string>();
  for (const entry of data.entries) {
    if (ids.has(entry.id)) throw new Error(`${file}: duplicate credential id ${entry.id}`);
    if (!(entry.source in data.sources)) throw new Error(`${file}: ${entry.id} cites unknown source ${entry.source}`);
    ids.add(entry.id);
  }
  return {
    version: data.version,
    entries: data.entries.map((e) => ({
      id: e.id,
      family: e.family,
      source: data.sources[e.source]!,
      username: e.username,
      password: new Secret(e.password, `default:${e.id}`),
    })),
  };
}

/** Entries of one protocol family, likeliest first, at most `limit`. */
export function defaultsFor(list: DefaultCredentialList, family: CredentialFamily, limit: number): DefaultCredential[] {
  return list.entries.filter((e) => e.family === family).slice(0, limit);
}
