import { deriveFindings } from '../findings/derive.js';
import type { Finding } from '../findings/schema.js';
import type { Results } from '../results/schema.js';
import type { Verdict } from '../verdicts/verdict.js';
import { DIFF_FORMAT_VERSION, type RunDiff, type RunRef, type VerdictChange } from './schema.js';

export interface RunToCompare {
  dir: string;
  results: Results;
}

function ref({ dir, results }: RunToCompare): RunRef {
  const { vendor, model, firmware, unit } = results.device;
  return { dir, runId: results.run.id, status: results.run.status, device: { vendor, model, firmware, unit } };
}

/** Entries in the first run's order, then those only the second has. */
function verdictChanges(before: Array<{ id: string; verdict: Verdict }>, after: Array<{ id: string; verdict: Verdict }>): VerdictChange[] {
  const was = new Map(before.map((e) => [e.id, e.verdict]));
  const now = new Map(after.map((e) => [e.id, e.verdict]));
  const ids = [...new Set([...was.keys(), ...now.keys()])];
  return ids.flatMap((id): VerdictChange[] => {
    const b = was.get(id) ?? null;
    const a = now.get(id) ?? null;
    if (b === a) return [];
    return [{ id, change: b === null ? 'added' : a === null ? 'removed' : 'changed', before: b, after: a }];
  });
}

function split(before: Finding[], after: Finding[]): RunDiff['findings'] {
  const was = new Set(before.map((f) => f.key));
  const now = new Set(after.map((f) => f.key));
  return {
    fixed: before.filter((f) => !now.has(f.key)),
    new: after.filter((f) => !was.has(f.key)),
    unchanged: after.filter((f) => was.has(f.key)),
  };
}

/** Verdicts that hold a requirement as met: losing one is a regression, whatever replaces it. */
const SETTLED = new Set<Verdict | null>(['PASS', 'NOT_APPLICABLE']);

const shown = (v: Verdict | null) => v ?? '(absent)';

/**
 * Why the second run is worse, one line each. A gate must not pass a firmware that bricks the device: an
 * unfinished run, or a verdict that was met and is now undecided or gone, counts as much as a new FAIL.
 */
function regressions(second: Results, changes: VerdictChange[], newFindings: Finding[]): string[] {
  const { status, statusReason } = second.run;
  const unfinished = status === 'complete' ? [] : [`run-b was ${status}: ${statusReason ?? 'no reason recorded'}`];
  const worse = changes
    .filter((c) => c.after === 'FAIL' || (SETTLED.has(c.before) && !SETTLED.has(c.after)))
    .map((c) => `${c.id}: ${shown(c.before)} → ${shown(c.after)}`);
  return [...unfinished, ...worse, ...newFindings.map((f) => `new finding ${f.checkId}: ${f.item}`)];
}

/** Verdict and finding changes from one run to another, from their results.json alone. */
export function compareRuns(first: RunToCompare, second: RunToCompare): RunDiff {
  const requirements = verdictChanges(first.results.requirements, second.results.requirements);
  const checks = verdictChanges(first.results.checks, second.results.checks);
  const findings = split(deriveFindings(first.results).findings, deriveFindings(second.results).findings);
  const newFails = [...requirements, ...checks].filter((c) => c.after === 'FAIL').map((c) => c.id);
  const why = regressions(second.results, [...requirements, ...checks], findings.new);
  return {
    formatVersion: DIFF_FORMAT_VERSION,
    before: ref(first),
    after: ref(second),
    requirements,
    checks,
    findings,
    newFails,
    regressions: why,
    regression: why.length > 0,
  };
}
