import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { cataloguePath } from '../paths.js';

const DebugServicesFile = z.strictObject({
  version: z.string(),
  sources: z.record(z.string(), z.string()),
  services: z.array(z.strictObject({ service: z.string().min(1), what: z.string().min(1), source: z.string() })),
});

export interface DebugServices {
  version: string;
  /** Identified service name → what it is, in a few words. */
  named: Map<string, string>;
}

/** The known debug and factory services (catalogue/inventory/debug-services.yaml), each with its source. */
export function loadDebugServices(file = cataloguePath('inventory', 'debug-services.yaml')): DebugServices {
  const data = DebugServicesFile.parse(parse(readFileSync(file, 'utf8')));
  for (const entry of data.services) {
    if (!(entry.source in data.sources)) throw new Error(`${file}: ${entry.service} cites unknown source ${entry.source}`);
  }
  return { version: data.version, named: new Map(data.services.map((e) => [e.service, e.what])) };
}
