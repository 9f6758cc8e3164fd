import { Client, type AuthenticationType, type NextAuthHandler } from 'ssh2';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';

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
  const sent: string[] = [];
  const received: string[] = [];
  const observe = (outcome: AuthObservation['outcome'], detail: string, failure?: AuthObservation['failure']): AuthObservation => ({
    outcome,
    detail,
    latencyMs: elapsed(started),
    sent: sent.join('\n'),
    received: received.join('\n'),
    ...(failure ? { failure } : {}),
  });

  let socket;
  try {
    socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return observe('error', e.message, e.failure);
  }
  const client = new Client();
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

  return new Promise<AuthObservation>((resolve) => {
    let settled = false;
    const settle = (obs: AuthObservation) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      probe.signal.removeEventListener('abort', onAbort);
      client.end();
      socket.destroy();
      resolve(obs);
    };
    const onAbort = () => settle(observe('error', 'aborted', 'aborted'));
    const timer = setTimeout(() => settle(observe('error', `no SSH authentication result within ${probe.timeoutMs} ms`, 'timeout')), probe.timeoutMs);
    probe.signal.addEventListener('abort', onAbort, { once: true });
    client.on('banner', (message) => received.push(`BANNER ${message.trim()}`));
    client.on('handshake', (neg) => received.push(`KEX ${neg.kex} hostkey=${neg.serverHostKey} cipher=${neg.cs.cipher}`));
    client.on('ready', () => {
      received.push('USERAUTH_SUCCESS');
      settle(observe('accepted', `login accepted for ${username}`));
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (err.level === 'client-authentication') {
        settle(observe('rejected', `all offered methods rejected (${[...tried].join(', ') || 'none'})`));
      } else {
        const e = err.level === 'protocol' ? new NetError('protocol', err.message) : classifyNetError(err);
        settle(observe('error', e.message, e.failure));
      }
    });
    client.on('close', () => settle(observe('error', 'connection closed before authentication finished', 'closed')));
    client.connect({
      sock: socket,
      username,
      authHandler,
      readyTimeout: probe.timeoutMs,
      ident: 'SSH-2.0-jcstar',
    });
  });
}
