import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginProbe } from '../../probes/login.js';
import type { TrialCredential } from '../../probes/auth-observation.js';
import type { CheckContext } from '../../suite/context.js';
import { attemptLogin, type Attempt } from '../login-attempts.js';

export interface Recovery {
  recovered: boolean;
  /** From the lockout's confirmation to the first accepted correct login, or the time waited in vain. */
  windowMs: number;
  attempts: Attempt[];
}

/**
 * Waits out a confirmed hold-off so that no device is left locked: a first pause (the declared unlock
 * time, or the device's Retry-After, or a second), then polls with the correct credential at doubling
 * intervals (each poll may itself restart a strict lockout timer, so polls stay few), never past `maxWaitMs`.
 */
export async function awaitRecovery(ctx: CheckContext, probe: LoginProbe, correct: TrialCredential, lockedAt: number, firstPauseMs: number, maxWaitMs: number): Promise<Recovery> {
  const attempts: Attempt[] = [];
  let pause = firstPauseMs;
  for (let poll = 1; ; poll++) {
    const remaining = maxWaitMs - (Date.now() - lockedAt);
    if (remaining <= 0) return { recovered: false, windowMs: Date.now() - lockedAt, attempts };
    await sleep(Math.min(pause, remaining), undefined, { signal: ctx.signal });
    const attempt = await attemptLogin(ctx, probe, 'recovery', `poll-${poll}`, correct);
    attempts.push(attempt);
    if (attempt.observation.outcome === 'accepted') return { recovered: true, windowMs: Date.now() - lockedAt, attempts };
    pause *= 2;
  }
}
