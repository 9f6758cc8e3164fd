import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginStep } from '../checks/credential-change/steps.js';
import type { TrialCredential } from '../probes/auth-observation.js';
import type { LoginProbe } from '../probes/login.js';
import type { CheckContext } from '../suite/context.js';
import { labelledLogin } from './labelled-login.js';

/** Between logins while the device boots: often enough to time its return, rarely enough not to load it. */
export const POLL_SECONDS = 3;
/** Between logins while waiting for the device to go down: a reboot can be short. */
export const DOWN_POLL_SECONDS = 1;

export type DeviceReturn =
  | { back: true; login: LoginStep; waitedMs: number; attempts: number; answeredAt: string }
  | { back: false; last: LoginStep | null; waitedMs: number; attempts: number };

/** Whether the device was seen down after a disruptive action: the first login it did not answer. */
export type OutageSeen =
  | { seen: true; firstFailedAt: string; login: LoginStep; attempts: number }
  | { seen: false; waitedMs: number; attempts: number; last: LoginStep | null };

/** Accepted or refused: the device's login answered. */
const answered = (login: LoginStep) => login.outcome === 'accepted' || login.outcome === 'rejected';

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
    const at = new Date().toISOString();
    last = await labelledLogin(ctx, probe, `${label} (attempt ${attempts})`, credential);
    if (answered(last)) return { back: true, login: last, waitedMs: Date.now() - started, attempts, answeredAt: at };
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(POLL_SECONDS * 1000, left), undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  return { back: false, last, waitedMs: Date.now() - started, attempts };
}

/**
 * Logs in every DOWN_POLL_SECONDS until a login goes unanswered (refused connection, timeout, reset), for
 * at most `seconds`. A reset or power command often returns before the device goes down; a login answered
 * in that gap is the old device, not the restarted one.
 */
export async function awaitOutage(ctx: CheckContext, probe: LoginProbe, credential: TrialCredential, seconds: number, label: string): Promise<OutageSeen> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let last: LoginStep | null = null;
  let attempts = 0;
  while (!ctx.signal.aborted) {
    attempts++;
    const at = new Date().toISOString();
    last = await labelledLogin(ctx, probe, `${label} (attempt ${attempts})`, credential);
    // A lockout is an answer: only a login that gets no answer (refused, timed out, reset) shows the device down.
    if (last.outcome === 'error') return { seen: true, firstFailedAt: at, login: last, attempts };
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(DOWN_POLL_SECONDS * 1000, left), undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  return { seen: false, waitedMs: Date.now() - started, attempts, last };
}

/** Records what was seen of the outage: the first unanswered login and the first answered one after it. */
export function recordDownPeriod(ctx: CheckContext, what: string, outage: OutageSeen, recovery: DeviceReturn | null): number {
  if (!outage.seen) {
    const summary = `${what}: the device answered every login for ${Math.round(outage.waitedMs / 1000)} s (${outage.attempts} logins); it was not seen down`;
    return ctx.evidence.record({ kind: 'observation', summary, data: { seenDown: false, attempts: outage.attempts, waitedMs: outage.waitedMs } }).seq;
  }
  const firstAnsweredAt = recovery?.back ? recovery.answeredAt : null;
  const until = firstAnsweredAt ? `first answered again at ${firstAnsweredAt}` : 'not answered again';
  const summary = `${what}: the device was down from ${outage.firstFailedAt} (first unanswered login, evidence #${outage.login.evidenceSeq}), ${until}`;
  return ctx.evidence.record({ kind: 'observation', summary, data: { seenDown: true, firstFailedAt: outage.firstFailedAt, firstAnsweredAt } }).seq;
}
