import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginStep } from '../checks/credential-change/steps.js';
import type { TrialCredential } from '../probes/auth-observation.js';
import type { LoginProbe } from '../probes/login.js';
import type { CheckContext } from '../suite/context.js';
import { labelledLogin } from './labelled-login.js';

/** Between logins while the device boots: often enough to time its return, rarely enough not to load it. */
export const POLL_SECONDS = 3;

export type DeviceReturn =
  | { back: true; login: LoginStep; waitedMs: number; attempts: number }
  | { back: false; last: LoginStep | null; waitedMs: number; attempts: number };

/**
 * Logs in every POLL_SECONDS until the device decides the login (accepted or refused: its login answers
 * again), for at most `seconds`. A refusal is an answer too: whether that credential should work is the
 * caller's judgement.
 */
export async function awaitDevice(ctx: CheckContext, probe: LoginProbe, credential: TrialCredential, seconds: number, label: string): Promise<DeviceReturn> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let last: LoginStep | null = null;
  let attempts = 0;
  while (!ctx.signal.aborted) {
    attempts++;
    last = await labelledLogin(ctx, probe, `${label} (attempt ${attempts})`, credential);
    if (last.outcome === 'accepted' || last.outcome === 'rejected') return { back: true, login: last, waitedMs: Date.now() - started, attempts };
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(POLL_SECONDS * 1000, left), undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  return { back: false, last, waitedMs: Date.now() - started, attempts };
}
