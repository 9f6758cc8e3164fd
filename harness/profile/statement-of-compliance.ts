import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding } from './finding.js';
import type { Declarations } from './schema.js';

/** The PSTI statement of compliance is the whole claim: a profile that names one jcstar cannot read is refused now. */
export function checkStatementOfCompliance(declarations: Declarations, baseDir: string, findings: Finding[]): void {
  const file = declarations.pstiCompliance?.statementOfCompliance;
  if (file === undefined) return;
  const path = resolve(baseDir, file);
  let reason: string | null = null;
  try {
    if (!statSync(path).isFile()) reason = 'it is not a file';
  } catch (err) {
    reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
  }
  if (reason) findings.push({ path: ['declarations', 'pstiCompliance', 'statementOfCompliance'], message: `cannot use ${path} as the statement of compliance: ${reason}` });
}
