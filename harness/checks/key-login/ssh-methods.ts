import { probeSshNone, type SshNoneResult } from '../../probes/ssh/none-auth.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';

/** Methods through which a password can be guessed over SSH (RFC 4252 §8, RFC 4256). */
export const PASSWORD_METHODS = ['password', 'keyboard-interactive'];
/** As in the S1.1-01 `none` probe: the declared user, else root, which most firmware has. */
const LIKELY_USER = 'root';

export type SshLogin =
  /** Neither password nor keyboard-interactive offered: no password can be tried. */
  | { kind: 'key-only'; methods: string[]; seq: number }
  /** Declared publickey, but a password method is offered after all. */
  | { kind: 'password-offered'; methods: string[]; seq: number }
  /** The methods could not be read on a service declared key-only. */
  | { kind: 'unread'; detail: string; seq: number }
  /** A password login, as declared, or nothing to say: the service's own check goes on. */
  | { kind: 'password' };

/**
 * The authentication methods the SSH server offers, as its answer to method `none` lists them, and
 * what they mean for a password check. Evidence is recorded when they decide something, so that a
 * plain password service keeps the evidence of its own check.
 */
export async function observeSshLogin(ctx: CheckContext, service: Service, keyOnly: boolean): Promise<SshLogin> {
  const username = (service.credential ? ctx.profile.credentials[service.credential]?.username : undefined) ?? LIKELY_USER;
  await ctx.net.authAttempt(ctx.signal);
  const result = await probeSshNone(ctx.net, { host: ctx.profile.target.address, port: service.port, username, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs });
  const methods = result.outcome === 'refused' ? (result.methods ?? []) : null;
  const offersPassword = methods?.some((m) => PASSWORD_METHODS.includes(m)) ?? false;
  const decides = keyOnly || (methods !== null && !offersPassword);
  if (!decides) return { kind: 'password' };
  const seq = record(ctx, username, result);
  if (methods === null) return { kind: 'unread', detail: result.outcome === 'accepted' ? 'it accepted method none, a session without any credential (an S1.1-01 finding)' : result.detail, seq };
  return offersPassword ? { kind: 'password-offered', methods, seq } : { kind: 'key-only', methods, seq };
}

function record(ctx: CheckContext, username: string, result: SshNoneResult): number {
  return ctx.evidence.record({
    kind: 'observation',
    summary: `SSH methods offered to "${username}" (method none) → ${result.outcome === 'refused' ? (result.methods?.join(',') || '(none listed)') : result.detail}`,
    target: ctx.target,
    sent: result.sent,
    received: result.received,
    data: { username, outcome: result.outcome, methods: result.methods },
  }).seq;
}
