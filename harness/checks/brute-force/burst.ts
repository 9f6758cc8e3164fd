import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginProbe } from '../../probes/login.js';
import type { TrialCredential } from '../../probes/auth-observation.js';
import type { CheckContext } from '../../suite/context.js';
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

/** Milliseconds of the Retry-After in a lockout signal, if any. */
export function retryAfterMs(signal: string | null): number | null {
  const match = signal?.match(/Retry-After:\s*(\d+)/i);
  return match ? Number(match[1]) * 1000 : null;
}

/**
 * Wrong passwords for one username, one after another within the auth rate limit, until the attempt or
 * time budget is spent, the device accepts (it checks nothing), or it holds the client off.
 */
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

export async function runBurst(ctx: CheckContext, probe: LoginProbe, username: string, limits: BurstLimits, origin: number, from = 0): Promise<BruteForceAttempt[]> {
  const attempts: BruteForceAttempt[] = [];
  let answeredYet = from > 0;
  for (let i = from; i < limits.maxAttempts && Date.now() - origin < limits.maxDurationMs; i++) {
    const attempt = await wrongGuess(ctx, probe, username, i + 1, 'burst', origin);
    attempts.push(attempt);
    if (attempt.outcome === 'accepted') break;
    if (attempt.outcome === 'rejected') answeredYet = true;
    if (answeredYet && isHoldOff(attempt)) {
      if (limits.stopAtHoldOff) break;
      const wait = Math.min(retryAfterMs(attempt.lockoutSignal) ?? 1000, limits.maxBackoffMs);
      await sleep(wait, undefined, { signal: ctx.signal });
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
