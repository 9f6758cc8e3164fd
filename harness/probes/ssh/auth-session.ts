import { Client, type AuthHandlerMiddleware } from 'ssh2';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError, type NetFailure } from '../../net/errors.js';

/** How an SSH authentication exchange ended: logged in, every method refused, or no answer at all. */
export type SshAuthEnd = { end: 'ready' } | { end: 'refused' } | { end: 'error'; failure: NetFailure; detail: string };

export interface SshAuthExchange {
  host: string;
  port: number;
  username: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Decides which method to try next; it appends its own requests to the transcript. */
  authHandler: AuthHandlerMiddleware;
  /** Lines of what was sent and received, filled in as the exchange goes. */
  transcript: { sent: string[]; received: string[] };
}

/**
 * One SSH connection through the guarded network, up to the end of user authentication. The probes
 * differ only in the methods they try; connecting, timing out, aborting and cleaning up live here.
 */
export async function runSshAuth(net: GuardedNetwork, exchange: SshAuthExchange): Promise<SshAuthEnd> {
  const { received } = exchange.transcript;
  let socket;
  try {
    socket = await net.connectTcp(exchange.host, exchange.port, { signal: exchange.signal, timeoutMs: exchange.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return { end: 'error', failure: e.failure, detail: e.message };
  }
  const client = new Client();
  return new Promise<SshAuthEnd>((resolve) => {
    let settled = false;
    const settle = (end: SshAuthEnd) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      exchange.signal.removeEventListener('abort', onAbort);
      client.end();
      socket.destroy();
      resolve(end);
    };
    const onAbort = () => settle({ end: 'error', failure: 'aborted', detail: 'aborted' });
    const timer = setTimeout(
      () => settle({ end: 'error', failure: 'timeout', detail: `no SSH authentication result within ${exchange.timeoutMs} ms` }),
      exchange.timeoutMs,
    );
    exchange.signal.addEventListener('abort', onAbort, { once: true });
    client.on('banner', (message) => received.push(`BANNER ${message.trim()}`));
    client.on('handshake', (neg) => received.push(`KEX ${neg.kex} hostkey=${neg.serverHostKey} cipher=${neg.cs.cipher}`));
    client.on('ready', () => {
      received.push('USERAUTH_SUCCESS');
      settle({ end: 'ready' });
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (err.level === 'client-authentication') return settle({ end: 'refused' });
      const e = err.level === 'protocol' ? new NetError('protocol', err.message) : classifyNetError(err);
      settle({ end: 'error', failure: e.failure, detail: e.message });
    });
    client.on('close', () => settle({ end: 'error', failure: 'closed', detail: 'connection closed before authentication finished' }));
    client.connect({ sock: socket, username: exchange.username, authHandler: exchange.authHandler, readyTimeout: exchange.timeoutMs, ident: 'SSH-2.0-jcstar' });
  });
}
