import type { Secret } from '../../secrets/secret.js';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { describeResponse, holdOffSignal, httpExchange } from './exchange.js';

export interface HttpBasicProbe {
  host: string;
  port: number;
  tls: boolean;
  path: string;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

/** The Authorization header value of HTTP Basic (RFC 7617); the password is revealed only into it. */
export function basicAuthorization(username: string, password: Secret): string {
  return `Basic ${Buffer.from(`${username}:${password.reveal()}`).toString('base64')}`;
}

/** One GET with HTTP Basic credentials. 2xx is accepted, 401/403 rejected, 423/429 locked, anything else an error. */
export async function probeHttpBasic(net: GuardedNetwork, probe: HttpBasicProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const { host, port, tls, path, signal, timeoutMs } = probe;
  const { username, password } = probe.credential;
  const sent = `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAuthorization: Basic base64(${username}:${password})\r\n`;
  try {
    const authorization = basicAuthorization(username, password);
    const res = await httpExchange(net, { host, port, tls, path, signal, timeoutMs, method: 'GET', headers: { Authorization: authorization } });
    const status = res.status;
    const lockoutSignal = holdOffSignal(res);
    const outcome = status >= 200 && status < 300 ? 'accepted' : status === 401 || status === 403 ? 'rejected' : lockoutSignal ? 'locked' : 'error';
    return {
      outcome,
      ...(outcome === 'error' ? { failure: 'protocol' as const } : {}),
      ...(lockoutSignal ? { lockoutSignal } : {}),
      detail: `HTTP ${status}`,
      latencyMs: elapsed(started),
      sent,
      received: describeResponse(res),
      rawReceived: res.raw,
    };
  } catch (err) {
    const e = classifyNetError(err);
    return { outcome: 'error', failure: e.failure, detail: e.message, latencyMs: elapsed(started), sent, received: '' };
  }
}
