import { Client, type AuthenticationType, type NextAuthHandler } from 'ssh2';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError, type NetFailure } from '../../net/errors.js';
import { elapsed } from '../auth-observation.js';

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
  let methods: string[] | null = null;
  const result = (outcome: SshNoneResult['outcome'], detail: string, failure?: NetFailure): SshNoneResult => ({
    outcome,
    methods,
    detail,
    ...(failure ? { failure } : {}),
    sent: sent.join('\n'),
    received: received.join('\n'),
    latencyMs: elapsed(started),
  });

  let socket;
  try {
    socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return result('error', e.message, e.failure);
  }
  const client = new Client();
  const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    if (methodsLeft === null) {
      sent.push(`USERAUTH_REQUEST user=${probe.username} method=none`);
      return next({ type: 'none', username: probe.username });
    }
    methods = [...methodsLeft];
    received.push(`USERAUTH_FAILURE methods=${methodsLeft.join(',')}`);
    return next(false as unknown as never);
  };

  return new Promise<SshNoneResult>((resolve) => {
    let settled = false;
    const settle = (r: SshNoneResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      probe.signal.removeEventListener('abort', onAbort);
      client.end();
      socket.destroy();
      resolve(r);
    };
    const onAbort = () => settle(result('error', 'aborted', 'aborted'));
    const timer = setTimeout(() => settle(result('error', `no SSH authentication result within ${probe.timeoutMs} ms`, 'timeout')), probe.timeoutMs);
    probe.signal.addEventListener('abort', onAbort, { once: true });
    client.on('banner', (message) => received.push(`BANNER ${message.trim()}`));
    client.on('handshake', (neg) => received.push(`KEX ${neg.kex} hostkey=${neg.serverHostKey} cipher=${neg.cs.cipher}`));
    client.on('ready', () => {
      received.push('USERAUTH_SUCCESS');
      settle(result('accepted', `method none accepted for ${probe.username}`));
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (err.level === 'client-authentication') {
        settle(result('refused', `method none refused; the server offers ${methods?.join(', ') || 'no method'}`));
      } else {
        const e = err.level === 'protocol' ? new NetError('protocol', err.message) : classifyNetError(err);
        settle(result('error', e.message, e.failure));
      }
    });
    client.on('close', () => settle(result('error', 'connection closed before authentication finished', 'closed')));
    client.connect({
      sock: socket,
      username: probe.username,
      authHandler,
      readyTimeout: probe.timeoutMs,
      ident: 'SSH-2.0-jcstar',
    });
  });
}
