import { appendFileSync, copyFileSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../engine/finalize.js';
import { createRunFolder } from '../engine/run-folder.js';
import type { RunRecord } from '../evidence/records.js';
import { EVIDENCE_FILE } from '../evidence/store.js';

/**
 * A new run folder holding the run's evidence, copied byte for byte (log, artifacts, profile), with the
 * re-judging records appended to the copy of the log. The original folder is only read; the views
 * (results, HTML, JUnit, manifest) are written afterwards from the new log, as for any run.
 */
export function copyRunFolder(runDir: string, out: string, appended: RunRecord[]): string {
  const dir = createRunFolder('', out, '');
  copyFileSync(join(runDir, EVIDENCE_FILE), join(dir, EVIDENCE_FILE));
  if (existsSync(join(runDir, 'artifacts'))) cpSync(join(runDir, 'artifacts'), join(dir, 'artifacts'), { recursive: true });
  if (existsSync(join(runDir, RUN_FILES.profile))) copyFileSync(join(runDir, RUN_FILES.profile), join(dir, RUN_FILES.profile));
  if (appended.length > 0) appendFileSync(join(dir, EVIDENCE_FILE), appended.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return dir;
}
