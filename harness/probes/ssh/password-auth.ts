import type { AuthenticationType, NextAuthHandler } from 'ssh2';
import type { GuardedNetwork } from '../../net/network.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { runSshAuth } from './auth-session.js';

export interface SshPasswordProbe {
  host: string;
  port: number;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * One SSH login with a password: `none` first (to learn the offered methods), then `password`, or
 * `keyboard-interactive` answering every prompt with the password where the server offers only that.
 * One credential is one attempt on the server: trying both would double what the device counts.
 */
export async function probeSshPassword(net: GuardedNetwork, probe: SshPasswordProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const { username, password } = probe.credential;
  const transcript = { sent: [] as string[], received: [] as string[] };
  const { sent, received } = transcript;
  const tried = new Set<string>();
  const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    if (methodsLeft === null) {
      sent.push(`USERAUTH_REQUEST user=${username} method=none`);
      return next({ type: 'none', username });
    }
    received.push(`USERAUTH_FAILURE methods=${methodsLeft.join(',')}`);
    if (methodsLeft.includes('password') && !tried.has('password')) {
      tried.add('password');
      sent.push(`USERAUTH_REQUEST user=${username} method=password password=${password}`);
      return next({ type: 'password', username, password: password.reveal() });
    }
    if (!methodsLeft.includes('password') && methodsLeft.includes('keyboard-interactive') && !tried.has('keyboard-interactive')) {
      tried.add('keyboard-interactive');
      sent.push(`USERAUTH_REQUEST user=${username} method=keyboard-interactive`);
      return next({
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts, finish) => {
          received.push(`INFO_REQUEST prompts=${JSON.stringify(prompts.map((p) => p.prompt))}`);
          sent.push(`INFO_RESPONSE ${prompts.map(() => String(password)).join(',')}`);
          finish(prompts.map(() => password.reveal()));
        },
      });
    }
    return next(false as unknown as never);
  };

  const end = await runSshAuth(net, { host: probe.host, port: probe.port, username, signal: probe.signal, timeoutMs: probe.timeoutMs, authHandler, transcript });
  const observe = (outcome: AuthObservation['outcome'], detail: string): AuthObservation => ({
    outcome,
    detail,
    latencyMs: elapsed(started),
    sent: sent.join('\n'),
    received: received.join('\n'),
    ...(end.end === 'error' ? { failure: end.failure } : {}),
  });
  if (end.end === 'ready') return observe('accepted', `login accepted for ${username}`);
  if (end.end === 'refused') return observe('rejected', `all offered methods rejected (${[...tried].join(', ') || 'none'})`);
  return observe('error', end.detail);
}
