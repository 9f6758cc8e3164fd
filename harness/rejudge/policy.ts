import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RUN_FILES } from '../engine/finalize.js';
import { effectivePolicy } from '../policy/load.js';
import { PolicyOverrides, type Policy } from '../policy/schema.js';

/**
 * A new base policy with the run's own profile overrides on top, read from the profile.yaml kept in the run
 * folder (a policy holds no secret, so the section is read as written); merged and checked as a run merges them.
 */
export function policyWithRunOverrides(base: Policy, runDir: string): Policy {
  const path = join(runDir, RUN_FILES.profile);
  const document = existsSync(path) ? (parse(readFileSync(path, 'utf8')) as { policy?: unknown } | null) : null;
  const overrides = PolicyOverrides.parse(document?.policy ?? {});
  return effectivePolicy(overrides, base);
}
