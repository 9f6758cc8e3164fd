import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeManifest } from '../evidence/manifest.js';
import { renderHtml } from '../reporters/html.js';
import { renderJunit } from '../reporters/junit.js';
import type { Results } from '../results/schema.js';

export const RUN_FILES = { profile: 'profile.yaml', results: 'results.json', junit: 'junit.xml', html: 'report.html' } as const;

/** Writes every view of the results into the run folder, then the manifest that hashes them all. */
export function writeRunReports(runDir: string, results: Results): void {
  writeFileSync(join(runDir, RUN_FILES.results), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(runDir, RUN_FILES.junit), renderJunit(results));
  writeFileSync(join(runDir, RUN_FILES.html), renderHtml(results));
  writeManifest(runDir, { tool: results.tool, runId: results.run.id, status: results.run.status });
}
