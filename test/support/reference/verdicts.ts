import { readFileSync } from 'node:fs';
import type { CheckResult, RequirementResult, Results } from '../../../harness/results/schema.js';
import { filesUnder } from '../run-folder.js';

/** The requirements the reference devices decide on the device: access, default passwords, brute force, eavesdropping. */
export const DEVICE_REQUIREMENTS = ['S1.1-01', 'S1.1-02', 'S1.1-04', 'S1.1-12'] as const;

export function requirement(results: Results, id: string): RequirementResult {
  const found = results.requirements.find((r) => r.id === id);
  if (!found) throw new Error(`results.json has no requirement ${id}`);
  return found;
}

export function checksOf(results: Results, id: string): CheckResult[] {
  return results.checks.filter((c) => c.requirement === id);
}

/** A requirement's reason and the reasons of its FAIL checks: where a finding must be named. */
export function findingsText(results: Results, id: string): string {
  return [requirement(results, id).reason, ...checksOf(results, id).filter((c) => c.verdict === 'FAIL').map((c) => `${c.id}: ${c.reason}`)].join('\n');
}

/** Every requirement of the given IDs with its verdict and reason, and each of its checks below it: the message of a failed assertion. */
export function verdictTable(results: Results, ids: readonly string[] = DEVICE_REQUIREMENTS): string {
  return ids
    .flatMap((id) => {
      const r = requirement(results, id);
      return [`${id} ${r.verdict}: ${r.reason}`, ...checksOf(results, id).map((c) => `  ${c.id} ${c.verdict}: ${c.reason}`)];
    })
    .join('\n');
}

/**
 * Where a secret shows up in the run folder, as `file: fragment`. A PEM secret (a private key) is searched line by
 * line, so that a key printed in part is found too.
 */
export function secretLeaks(runDir: string, secrets: string[]): string[] {
  const fragments = secrets.flatMap((s) => (s.includes('-----BEGIN') ? s.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')) : [s]));
  return filesUnder(runDir).flatMap((file) => {
    const text = readFileSync(file).toString('latin1');
    return fragments.filter((f) => text.includes(f)).map((f) => `${file}: ${f.slice(0, 4)}…`);
  });
}
