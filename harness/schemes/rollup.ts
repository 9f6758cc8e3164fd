import type { Verdict } from '../verdicts/verdict.js';

// From the least established to the most: a harness error says least about the device, a PASS most.
const WEAKEST_FIRST: Verdict[] = ['ERROR', 'INCONCLUSIVE', 'MANUAL', 'NOT_APPLICABLE', 'PASS'];

/**
 * A scheme requirement's verdict from the ★1 verdicts it maps to: any FAIL → FAIL, all PASS (or a justified
 * NOT_APPLICABLE beside a PASS) → PASS, else the weakest; null when nothing maps to it.
 */
export function schemeVerdict(verdicts: Verdict[]): Verdict | null {
  if (verdicts.length === 0) return null;
  if (verdicts.includes('FAIL')) return 'FAIL';
  const decisive = verdicts.filter((v) => v !== 'NOT_APPLICABLE');
  if (decisive.length > 0 && decisive.every((v) => v === 'PASS')) return 'PASS';
  // Not reached empty: what is left is neither FAIL nor all PASS, and WEAKEST_FIRST names every other verdict.
  return WEAKEST_FIRST.find((v) => verdicts.includes(v))!;
}
