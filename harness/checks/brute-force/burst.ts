import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginProbe } from '../../probes/login.js';
import type { TrialCredential } from '../../probes/auth-observation.js';
import type { CheckContext } from '../../suite/context.js';
import { retryAfterMs } from '../hold-off/recovery.js';
import { attemptLogin, randomPassword } from '../login-attempts.js';
import { isHoldOff } from './classify.js';
import type { BruteForceAttempt } from './observation.js';

export interface BurstLimits {
  maxAttempts: number;
  maxDurationMs: number;
  /** Stop at the first hold-off (to confirm a lockout) rather than keep knocking. */
  stopAtHoldOff: boolean;
  /** Longest pause honoured when the device asks to retry later. */
  maxBackoffMs: number;
}

/** Attempts in a row without any answer after which the service is taken to have stopped answering. */
const MAX_UNANSWERED = 3;

/** One wrong password for `username`, within the auth rate limit, as a timeline entry. */
async function wrongGuess(ctx: CheckContext, probe: LoginProbe, username: string, index: number, phase: BruteForceAttempt['phase'], origin: number): Promise<BruteForceAttempt> {
  const credential: TrialCredential = { username, password: randomPassword('brute-force') };
  const startMs = Date.now() - origin;
  const { observation, evidence } = await attemptLogin(ctx, probe, 'brute-force', `${phase}-${index}`, credential);
  return {
    index,
    phase,
    startMs,
    latencyMs: observation.latencyMs,
    outcome: observation.outcome,
    detail: observation.detail,
    failure: observation.failure ?? null,
    lockoutSignal: observation.lockoutSignal ?? null,
    evidenceSeq: evidence.seq,
  };
}

/**
 * Wrong passwords for one username, one after another within the auth rate limit, until the attempt or
 * time budget is spent, the device accepts (it checks nothing), holds the client off, or stops answering.
 */
export async function runBurst(ctx: CheckContext, probe: LoginProbe, username: string, limits: BurstLimits, origin: number, from = 0): Promise<BruteForceAttempt[]> {
  const attempts: BruteForceAttempt[] = [];
  let answeredYet = from > 0;
  let unanswered = 0;
  for (let i = from; i < limits.maxAttempts && Date.now() - origin < limits.maxDurationMs; i++) {
    const attempt = await wrongGuess(ctx, probe, username, i + 1, 'burst', origin);
    attempts.push(attempt);
    if (attempt.outcome === 'accepted') break;
    if (attempt.outcome === 'rejected') answeredYet = true;
    // Spending the rest of the budget into silence shows nothing and may keep a struggling device down.
    unanswered = attempt.outcome === 'error' ? unanswered + 1 : 0;
    if (unanswered >= MAX_UNANSWERED) break;
    const pause = () => sleep(Math.min(retryAfterMs(attempt.lockoutSignal) ?? 1000, limits.maxBackoffMs), undefined, { signal: ctx.signal });
    if (!answeredYet && attempt.outcome === 'locked') {
      // Still held off by the positive control or an earlier check: no guess has counted yet.
      await pause();
      continue;
    }
    if (answeredYet && isHoldOff(attempt)) {
      if (limits.stopAtHoldOff) break;
      await pause();
    }
  }
  return attempts;
}

/**
 * `count` wrong guesses over `connections` connections at once (each attempt still takes its turn in
 * the auth rate limit), to see whether a per-connection delay is any obstacle to an attacker.
 */
export async function runParallelBurst(ctx: CheckContext, probe: LoginProbe, username: string, count: number, connections: number, origin: number, from: number, deadline: number): Promise<BruteForceAttempt[]> {
  const attempts: BruteForceAttempt[] = [];
  let next = from;
  const worker = async () => {
    while (next < from + count && Date.now() < deadline) {
      const index = ++next;
      attempts.push(await wrongGuess(ctx, probe, username, index, 'parallel', origin));
    }
  };
  await Promise.all(Array.from({ length: Math.min(connections, count) }, worker));
  return attempts.sort((a, b) => a.startMs - b.startMs);
}
