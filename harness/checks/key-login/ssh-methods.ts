import { randomBytes } from 'node:crypto';
import { probeSshNone, type SshNoneResult } from '../../probes/ssh/none-auth.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';

/** Methods through which a password can be guessed over SSH (RFC 4252 §8, RFC 4256). */
export const PASSWORD_METHODS = ['password', 'keyboard-interactive'];
/** Methods that log in by a key: a list naming one of them shows the server has a way in that is no password. */
const KEY_METHODS = ['publickey', 'hostbased'];
/** As in the S1.1-01 `none` probe: the declared user, else root, which most firmware has. */
const LIKELY_USER = 'root';

export type SshLogin =
  /** Neither password nor keyboard-interactive offered: no password can be tried. */
  | { kind: 'key-only'; methods: string[]; seq: number }
  /** Declared publickey, but a password method is offered after all. */
  | { kind: 'password-offered'; methods: string[]; seq: number }
  /** No password method, but no key method either (an empty list, say): nothing shows how one logs in. */
  | { kind: 'no-key-method'; methods: string[]; seq: number }
  /** The methods could not be read on a service declared key-only. */
  | { kind: 'unread'; detail: string; seq: number }
  /** A password login, as declared, or nothing to say: the service's own check goes on. */
  | { kind: 'password' };

interface Asked {
  username: string;
  result: SshNoneResult;
  /** The listed methods; null when the server did not refuse `none` with a list. */
  methods: string[] | null;
}

/**
 * The authentication methods the SSH server offers, as its answer to method `none` lists them, and
 * what they mean for a password check. Evidence is recorded when they decide something, so that a
 * plain password service keeps the evidence of its own check.
 */
export async function observeSshLogin(ctx: CheckContext, service: Service, keyOnly: boolean): Promise<SshLogin> {
  const declared = service.credential ? ctx.profile.credentials[service.credential]?.username : undefined;
  const asked = [await ask(ctx, service, declared ?? LIKELY_USER)];
  const first = asked[0]!.methods;
  if (!keyOnly && declared === undefined && first !== null && !offersPassword(first)) {
    // Methods can differ by user (Dropbear -g hides password for root only): root alone does not speak for the others.
    asked.push(await ask(ctx, service, `jcstar-${randomBytes(4).toString('hex')}`));
  }
  const withPassword = asked.find((a) => a.methods !== null && offersPassword(a.methods));
  if (!keyOnly && (withPassword || asked.some((a) => a.methods === null))) return { kind: 'password' };
  const seq = record(ctx, asked);
  if (first === null) {
    const result = asked[0]!.result;
    return { kind: 'unread', detail: result.outcome === 'accepted' ? 'it accepted method none, a session without any credential (an S1.1-01 finding)' : result.detail, seq };
  }
  if (withPassword) return { kind: 'password-offered', methods: withPassword.methods!, seq };
  if (!asked.every((a) => a.methods!.some((m) => KEY_METHODS.includes(m)))) return { kind: 'no-key-method', methods: first, seq };
  return { kind: 'key-only', methods: first, seq };
}

/**
 * The verdict the offered methods give a check that needs a password to try (S1.1-02, S1.1-04): `noPassword`
 * when only keys are offered, INCONCLUSIVE when the methods contradict the declaration or show nothing, and
 * null when a password login remains, so that the check runs on it (`trial` names what it would do).
 */
export function judgeSshLogin(service: Service, login: SshLogin, noPassword: (methods: string[], seq: number) => CheckOutcome, trial: string): CheckOutcome | null {
  switch (login.kind) {
    case 'key-only':
      return noPassword(login.methods, login.seq);
    case 'password-offered':
      return inconclusive(`${service.name} is declared publickey but the server offers ${login.methods.join(', ')} (evidence #${login.seq}); declare auth: password and a credential so that jcstar can ${trial}`);
    case 'no-key-method':
      return inconclusive(`${service.name}: the server offers no password method, but no key method either (methods listed: ${login.methods.join(', ') || 'none'}; evidence #${login.seq}), so jcstar cannot tell how anyone logs in`);
    case 'unread':
      return inconclusive(`${service.name}: the SSH methods could not be read: ${login.detail} (evidence #${login.seq})`);
    case 'password':
      return null;
  }
}

function offersPassword(methods: string[]): boolean {
  return methods.some((m) => PASSWORD_METHODS.includes(m));
}

async function ask(ctx: CheckContext, service: Service, username: string): Promise<Asked> {
  await ctx.net.authAttempt(ctx.signal);
  const result = await probeSshNone(ctx.net, { host: ctx.profile.target.address, port: service.port, username, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs });
  // An empty name-list is a refusal that lists nothing; it must not read as "no password method".
  const methods = result.outcome === 'refused' ? (result.methods ?? []).filter((m) => m !== '') : null;
  return { username, result, methods };
}

function record(ctx: CheckContext, asked: Asked[]): number {
  const line = ({ username, result, methods }: Asked) => `"${username}" → ${methods !== null ? methods.join(',') || '(none listed)' : result.detail}`;
  return ctx.evidence.record({
    kind: 'observation',
    summary: `SSH methods offered (method none) to ${asked.map(line).join('; ')}`,
    target: ctx.target,
    sent: asked.map((a) => a.result.sent).join('\n'),
    received: asked.map((a) => a.result.received).join('\n'),
    data: asked.length === 1 ? dataOf(asked[0]!) : { asked: asked.map(dataOf) },
  }).seq;
}

function dataOf({ username, result, methods }: Asked) {
  return { username, outcome: result.outcome, methods };
}
