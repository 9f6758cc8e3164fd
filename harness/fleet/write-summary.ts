import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFleetHtml } from './html.js';
import { renderFleetJunit } from './junit.js';
import type { FleetSummary } from './summary.js';

export const FLEET_FILES = { json: 'fleet-summary.json', html: 'fleet-summary.html', junit: 'fleet-junit.xml' } as const;

/** Every view of one fleet summary, into the fleet (or merge) folder. */
export function writeFleetSummary(dir: string, summary: FleetSummary): void {
  writeFileSync(join(dir, FLEET_FILES.json), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(dir, FLEET_FILES.html), renderFleetHtml(summary));
  writeFileSync(join(dir, FLEET_FILES.junit), renderFleetJunit(summary));
}
