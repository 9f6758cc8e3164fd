import type { BruteForceAttempt } from './observation.js';

const DAY_S = 86_400;

/** Guesses a day at the throughput the burst achieved: answered guesses over the time they took. */
export function projectFromThroughput(burst: BruteForceAttempt[]): number {
  const answered = burst.filter((a) => a.outcome === 'rejected' || a.outcome === 'accepted');
  if (answered.length === 0) return 0;
  const first = burst[0]!;
  const last = burst.at(-1)!;
  const seconds = Math.max((last.startMs + last.latencyMs - first.startMs) / 1000, 0.001);
  return Math.round((answered.length / seconds) * DAY_S);
}

/** Guesses a day against a lockout: `perWindow` guesses, then `windowMs` locked, over and over. */
export function projectFromLockout(perWindow: number, windowMs: number, meanLatencyMs: number): number {
  const cycleS = (windowMs + perWindow * meanLatencyMs) / 1000;
  return Math.round((perWindow / cycleS) * DAY_S);
}
