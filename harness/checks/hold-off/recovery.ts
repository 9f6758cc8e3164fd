import { setTimeout as sleep } from 'node:timers/promises';
import type { TrialCredential } from '../../probes/auth-observation.js';
import type { LoginProbe } from '../../probes/login.js';
import type { CheckContext } from '../../suite/context.js';
import { attemptLogin, type Attempt } from '../login-attempts.js';

export interface Recovery {
  recovered: boolean;
  /** From the hold-off to the first poll that showed the login working again, or the time waited in vain. */
  windowMs: number;
  attempts: Attempt[];
}

/** Milliseconds of the Retry-After in a lockout signal, if any; "0" asks for no pause, which jcstar never takes. */
export function retryAfterMs(signal: string | null): number | null {
  const match = signal?.match(/Retry-After:\s*(\d+)/i);
  return match && Number(match[1]) > 0 ? Number(match[1]) * 1000 : null;
}

/**
 * Waits out a confirmed lockout so that no device is left locked: a first pause (the declared unlock time,
 * the device's Retry-After, or the policy's first poll), then polls with the correct credential at doubling
 * intervals (each poll may itself restart a strict lockout timer, so polls stay few), never past
 * `maxWaitMs` from `since`.
 */
export async function awaitRecovery(ctx: CheckContext, probe: LoginProbe, correct: TrialCredential, since: number, firstPauseMs: number, maxWaitMs: number): Promise<Recovery> {
  const attempts: Attempt[] = [];
  // Never poll back to back, whatever the device asked for.
  let pause = Math.max(firstPauseMs, ctx.policy.holdOff.firstPollMs);
  for (let n = 1; ; n++) {
    const remaining = maxWaitMs - (Date.now() - since);
    if (remaining <= 0) return { recovered: false, windowMs: Date.now() - since, attempts };
    await sleep(Math.min(pause, remaining), undefined, { signal: ctx.signal });
    const attempt = await attemptLogin(ctx, probe, 'recovery', `poll-${n}`, correct);
    attempts.push(attempt);
    if (attempt.observation.outcome === 'accepted') return { recovered: true, windowMs: Date.now() - since, attempts };
    pause *= 2;
  }
}
