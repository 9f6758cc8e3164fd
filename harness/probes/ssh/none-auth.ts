import type { AuthenticationType, NextAuthHandler } from 'ssh2';
import type { GuardedNetwork } from '../../net/network.js';
import type { NetFailure } from '../../net/errors.js';
import { elapsed } from '../auth-observation.js';
import { runSshAuth } from './auth-session.js';

export interface SshNoneProbe {
  host: string;
  port: number;
  username: string;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface SshNoneResult {
  /** accepted: USERAUTH_SUCCESS for method `none`, i.e. a session with no credential at all. */
  outcome: 'accepted' | 'refused' | 'error';
  /** The methods the server listed in its USERAUTH_FAILURE, when it refused. */
  methods: string[] | null;
  detail: string;
  failure?: NetFailure;
  sent: string;
  received: string;
  latencyMs: number;
}

/** One SSH USERAUTH_REQUEST with method `none` (RFC 4252 §5.2): accepted, or refused with the methods that can continue. */
export async function probeSshNone(net: GuardedNetwork, probe: SshNoneProbe): Promise<SshNoneResult> {
  const started = process.hrtime.bigint();
  const sent: string[] = [];
  const received: string[] = [];
  // Filled in by the auth handler when the server refuses `none`.
  const offered: string[] = [];
  const result = (outcome: SshNoneResult['outcome'], detail: string, failure?: NetFailure): SshNoneResult => ({
    outcome,
    methods: offered.length > 0 ? [...offered] : null,
    detail,
    ...(failure ? { failure } : {}),
    sent: sent.join('\n'),
    received: received.join('\n'),
    latencyMs: elapsed(started),
  });

  const transcript = { sent, received };
  const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    if (methodsLeft === null) {
      sent.push(`USERAUTH_REQUEST user=${probe.username} method=none`);
      return next({ type: 'none', username: probe.username });
    }
    offered.push(...methodsLeft);
    received.push(`USERAUTH_FAILURE methods=${methodsLeft.join(',')}`);
    return next(false as unknown as never);
  };
  const end = await runSshAuth(net, { host: probe.host, port: probe.port, username: probe.username, signal: probe.signal, timeoutMs: probe.timeoutMs, authHandler, transcript });
  if (end.end === 'ready') return result('accepted', `method none accepted for ${probe.username}`);
  if (end.end === 'refused') return result('refused', `method none refused; the server offers ${offered.join(', ') || 'no method'}`);
  return result('error', end.detail, end.failure);
}
