/** The CLI's exit-code contract (documented in the README). */
export const EXIT = {
  /** No FAIL and no ERROR. */
  OK: 0,
  /** At least one requirement FAILs. */
  FAIL: 1,
  /** Usage or profile error: nothing was sent to the device. */
  USAGE: 2,
  /** Harness error, or the target was unreachable. */
  HARNESS: 3,
  /** Interrupted (SIGINT); the run folder is valid and marked interrupted. */
  INTERRUPTED: 130,
} as const;

import type { Results } from '../results/schema.js';

/** A FAIL is a definite finding, so it outranks a harness error elsewhere in the same run. */
export function exitCodeFor(results: Results): number {
  if (results.run.status === 'interrupted') return EXIT.INTERRUPTED;
  if (results.requirements.some((r) => r.verdict === 'FAIL')) return EXIT.FAIL;
  if (results.run.status === 'aborted' || results.checks.some((c) => c.verdict === 'ERROR')) return EXIT.HARNESS;
  return EXIT.OK;
}
