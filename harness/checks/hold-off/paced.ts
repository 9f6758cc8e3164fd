import { setTimeout as sleep } from 'node:timers/promises';
import type { TrialCredential } from '../../probes/auth-observation.js';
import type { LoginProbe } from '../../probes/login.js';
import type { CheckContext } from '../../suite/context.js';
import { attemptLogin, type Attempt } from '../login-attempts.js';
import { retryAfterMs } from './recovery.js';

export interface HeldOff {
  /** Why the attempt could not be made: the hold-off, and how long jcstar waited for it. */
  reason: string;
  last: Attempt;
}

/**
 * Login attempts that pace themselves to the device. An attempt the device holds off (HTTP 429, a lockout
 * message, refused connections, or a silent lockout an earlier check left behind) is made again after a
 * pause that doubles each time (the device's Retry-After first), so the retry itself is the recovery poll
 * and spends no extra slot of a rate limit. All pauses of one check share `budgetMs`.
 */
export class PacedLogin {
  #waitedMs = 0;

  constructor(
    private readonly ctx: CheckContext,
    private readonly probe: LoginProbe,
    private readonly budgetMs: number,
  ) {}

  get waitedMs(): number {
    return this.#waitedMs;
  }

  async attempt(role: Attempt['role'], label: string, credential: TrialCredential): Promise<Attempt | HeldOff> {
    const { ctx, probe } = this;
    const { firstPollMs, maxWaitMs } = ctx.policy.holdOff;
    let pause = 0;
    for (;;) {
      const attempt = await attemptLogin(ctx, probe, role, label, credential);
      const holdOff = ctx.holdOffs.current(probe.service);
      if (!holdOff) return attempt;
      pause = Math.min(pause === 0 ? Math.max(retryAfterMs(holdOff.signal) ?? 0, firstPollMs) : pause * 2, maxWaitMs);
      const summary = `${probe.service} is held off (${holdOff.kind}: ${holdOff.signal}, left by ${holdOff.checkId}); ${this.#waitedMs / 1000} s of ${this.budgetMs / 1000} s waited so far`;
      if (this.#waitedMs + pause > this.budgetMs) {
        ctx.evidence.record({ kind: 'note', summary: `${summary}; the waiting budget is spent`, target: ctx.target, data: { holdOff, waitedMs: this.#waitedMs } });
        return { reason: `${summary}, and it had not recovered within the budget (policy.holdOff.budgetMs)`, last: attempt };
      }
      ctx.evidence.record({ kind: 'note', summary: `${summary}; trying ${role} ${label} again in ${pause / 1000} s`, target: ctx.target, data: { holdOff, pauseMs: pause } });
      await sleep(pause, undefined, { signal: ctx.signal });
      this.#waitedMs += pause;
    }
  }
}

export function isHeldOff(result: Attempt | HeldOff): result is HeldOff {
  return 'reason' in result && !('observation' in result);
}
