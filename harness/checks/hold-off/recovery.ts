import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthObservation, TrialCredential } from '../../probes/auth-observation.js';
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

/** The credential a poll tries, and the answer that shows the login working again. */
export interface RecoveryPoll {
  credential: TrialCredential;
  recovered: (observation: AuthObservation) => boolean;
}

/** With the declared credential, recovery is its acceptance; without one, a plain refusal (the login answers again). */
export function recoveryPoll(correct: TrialCredential | null, account: string, randomPassword: () => TrialCredential['password']): RecoveryPoll {
  return correct
    ? { credential: correct, recovered: (o) => o.outcome === 'accepted' }
    : { credential: { username: account, password: randomPassword() }, recovered: (o) => o.outcome === 'rejected' };
}

/**
 * Waits out a hold-off so that no device is left locked and no check runs into a lockout another left
 * behind: a first pause (the declared unlock time, the device's Retry-After, or the policy's first poll),
 * then polls at doubling intervals (each poll may itself restart a strict lockout timer, so polls stay
 * few), never past `maxWaitMs` from `since`.
 */
export async function awaitRecovery(ctx: CheckContext, probe: LoginProbe, poll: RecoveryPoll, since: number, firstPauseMs: number, maxWaitMs: number): Promise<Recovery> {
  const attempts: Attempt[] = [];
  // Never poll back to back, whatever the device asked for.
  let pause = Math.max(firstPauseMs, ctx.policy.holdOff.firstPollMs);
  for (let n = 1; ; n++) {
    const remaining = maxWaitMs - (Date.now() - since);
    if (remaining <= 0) return { recovered: false, windowMs: Date.now() - since, attempts };
    await sleep(Math.min(pause, remaining), undefined, { signal: ctx.signal });
    const attempt = await attemptLogin(ctx, probe, 'recovery', `poll-${n}`, poll.credential);
    attempts.push(attempt);
    if (poll.recovered(attempt.observation)) return { recovered: true, windowMs: Date.now() - since, attempts };
    pause *= 2;
  }
}
