import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { cataloguePath } from '../../paths.js';

const AdminPathsFile = z.strictObject({
  version: z.string(),
  sources: z.record(z.string(), z.string()),
  paths: z.array(z.strictObject({ path: z.string().startsWith('/'), source: z.string() })),
});

export interface AdminPaths {
  version: string;
  paths: Array<{ path: string; source: string }>;
}

/** The curated common admin paths, each with its source spelled out. */
export function loadAdminPaths(file = cataloguePath('paths', 'admin-paths.yaml')): AdminPaths {
  const data = AdminPathsFile.parse(parse(readFileSync(file, 'utf8')));
  for (const entry of data.paths) {
    if (!(entry.source in data.sources)) throw new Error(`${file}: ${entry.path} cites unknown source ${entry.source}`);
  }
  return { version: data.version, paths: data.paths.map((e) => ({ path: e.path, source: data.sources[e.source]! })) };
}
