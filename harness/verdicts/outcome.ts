import type { Verdict } from './verdict.js';

/**
 * What a check returns. Reasons are mandatory: a verdict nobody can explain is not evidence. Warnings name
 * what is not recommended but did not decide the verdict (a PASS with warnings is still a PASS).
 */
export interface CheckOutcome {
  verdict: Verdict;
  reason: string;
  warnings?: string[];
}

export const pass = (reason: string): CheckOutcome => ({ verdict: 'PASS', reason });
export const fail = (reason: string): CheckOutcome => ({ verdict: 'FAIL', reason });
export const inconclusive = (reason: string): CheckOutcome => ({ verdict: 'INCONCLUSIVE', reason });
export const notApplicable = (justification: string): CheckOutcome => ({ verdict: 'NOT_APPLICABLE', reason: justification });
export const manual = (reason: string): CheckOutcome => ({ verdict: 'MANUAL', reason });
