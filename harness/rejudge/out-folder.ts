import { copyFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
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
  const log = readFileSync(join(runDir, EVIDENCE_FILE));
  // A hard kill can leave a torn last line, which readers skip; a record appended after it would turn it into a
  // corrupt line in the middle, so the copy keeps only whole lines (the rejudge record pins the original's hash).
  const whole = appended.length > 0 ? log.subarray(0, log.lastIndexOf(0x0a) + 1) : log;
  writeFileSync(join(dir, EVIDENCE_FILE), Buffer.concat([whole, Buffer.from(appended.map((r) => `${JSON.stringify(r)}\n`).join(''))]));
  if (existsSync(join(runDir, 'artifacts'))) cpSync(join(runDir, 'artifacts'), join(dir, 'artifacts'), { recursive: true });
  if (existsSync(join(runDir, RUN_FILES.profile))) copyFileSync(join(runDir, RUN_FILES.profile), join(dir, RUN_FILES.profile));
  return dir;
}
