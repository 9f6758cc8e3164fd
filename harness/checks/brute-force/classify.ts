import type { BruteForceAttempt, BruteForceClassification } from './observation.js';

/**
 * Connection-level answers that, after the device was answering, mean it is holding the client off:
 * refusing, resetting, hanging up, or no longer answering in time (a tarpit).
 */
const HOLD_OFF_FAILURES = new Set(['refused', 'reset', 'closed', 'timeout']);
/** A delay counts as slowing an attacker down only when it is this large (ms) … */
const MEANINGFUL_DELAY_MS = 500;
/** … and progressive when the late attempts take this many times longer than the early ones. */
const PROGRESSION_FACTOR = 2;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function isHoldOff(a: Pick<BruteForceAttempt, 'outcome' | 'failure'>): boolean {
  return a.outcome === 'locked' || (a.outcome === 'error' && a.failure !== null && HOLD_OFF_FAILURES.has(a.failure));
}

/**
 * Classifies what a burst of wrong credentials met, from the burst attempts alone. A hold-off is only a
 * lockout candidate here; the check confirms it with the correct credential before believing it.
 */
export function classifyBurst(burst: BruteForceAttempt[]): BruteForceClassification {
  const answered = (a: BruteForceAttempt) => a.outcome === 'rejected' || a.outcome === 'accepted';
  const firstAnswer = burst.findIndex(answered);
  const holdOff = burst.findIndex((a, i) => i > firstAnswer && firstAnswer !== -1 && isHoldOff(a));
  if (holdOff !== -1) {
    const resumed = burst.slice(holdOff + 1).some(answered);
    const signal = burst[holdOff]!.lockoutSignal ?? burst[holdOff]!.detail;
    return {
      mechanism: resumed ? 'rate-limit' : 'lockout',
      basis: resumed
        ? `held off at attempt ${holdOff + 1} (${signal}) and answered again later in the burst`
        : `held off from attempt ${holdOff + 1} on (${signal}) after ${burst.slice(0, holdOff).filter(answered).length} answered guesses`,
      guessesBeforeHoldOff: burst.slice(0, holdOff).filter(answered).length,
      holdOffAt: holdOff,
    };
  }
  const latencies = burst.filter(answered).map((a) => a.latencyMs);
  const third = Math.max(1, Math.floor(latencies.length / 3));
  const early = median(latencies.slice(0, third));
  const late = median(latencies.slice(-third));
  const guesses = latencies.length;
  if (latencies.length >= 3 && late >= early * PROGRESSION_FACTOR && late - early >= MEANINGFUL_DELAY_MS) {
    return { mechanism: 'progressive-delay', basis: `answers slowed from a median ${early.toFixed(0)} ms to ${late.toFixed(0)} ms`, guessesBeforeHoldOff: guesses, holdOffAt: null };
  }
  if (median(latencies) >= MEANINGFUL_DELAY_MS) {
    return { mechanism: 'rate-limit', basis: `every refusal took a median ${median(latencies).toFixed(0)} ms`, guessesBeforeHoldOff: guesses, holdOffAt: null };
  }
  return { mechanism: 'none', basis: `${guesses} wrong guesses refused promptly (median ${median(latencies).toFixed(0)} ms), none held off or slowed`, guessesBeforeHoldOff: guesses, holdOffAt: null };
}
