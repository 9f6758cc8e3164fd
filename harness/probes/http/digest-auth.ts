import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { parseAuthHeader, strongestDigest } from '../digest/challenge.js';
import { digestAuthorization } from '../digest/response.js';
import { describeRequest, describeResponse, holdOffSignal, httpExchange, type HttpRequestSpec, type HttpResponse } from './exchange.js';

export interface HttpDigestProbe {
  host: string;
  port: number;
  tls: boolean;
  path: string;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * HTTP Digest login (RFC 7616): a GET to fetch the challenge, then a GET answering it, each on its own
 * connection. 2xx is accepted, 401/403 rejected, 423/429 locked, anything else an error; a 401 that
 * offers no Digest challenge jcstar can answer is an error too, since no credential could be tried.
 */
export async function probeHttpDigest(net: GuardedNetwork, probe: HttpDigestProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const { username, password } = probe.credential;
  const { host, port, tls, path, signal, timeoutMs } = probe;
  const spec: HttpRequestSpec = { host, port, tls, path, signal, timeoutMs, method: 'GET', headers: {} };
  const sent: string[] = [];
  const replies: HttpResponse[] = [];
  const observe = (outcome: AuthObservation['outcome'], detail: string, extra: Partial<AuthObservation> = {}): AuthObservation => ({
    outcome,
    detail,
    latencyMs: elapsed(started),
    sent: sent.join('\r\n'),
    received: replies.map((r) => describeResponse(r)).join('\r\n\r\n'),
    ...(replies.length ? { rawReceived: Buffer.concat(replies.map((r) => r.raw)) } : {}),
    ...extra,
  });
  const get = async (authorization?: { header: string; transcript: string }): Promise<HttpResponse> => {
    sent.push(describeRequest({ ...spec, headers: authorization ? { Authorization: authorization.transcript } : {} }));
    const res = await httpExchange(net, { ...spec, headers: authorization ? { Authorization: authorization.header } : {} });
    replies.push(res);
    return res;
  };
  const judge = (res: HttpResponse, note: string): AuthObservation => {
    const detail = `HTTP ${res.status}${note}`;
    const holdOff = holdOffSignal(res);
    if (holdOff) return observe('locked', detail, { lockoutSignal: holdOff });
    if (res.status >= 200 && res.status < 300) return observe('accepted', detail);
    if (res.status === 401 || res.status === 403) return observe('rejected', detail);
    return observe('error', detail, { failure: 'protocol' });
  };

  try {
    const first = await get();
    if (first.status !== 401) return judge(first, ' before any credential was sent');
    // node:http joins repeated WWW-Authenticate fields with ", ", which the parser reads as a list.
    const offered = first.headers['www-authenticate'];
    const challenge = offered ? strongestDigest(parseAuthHeader(offered)) : null;
    if (!challenge) {
      const what = offered ? `WWW-Authenticate: ${offered}` : 'no WWW-Authenticate';
      return observe('error', `HTTP 401 offered no Digest challenge jcstar can answer (${what})`, { failure: 'protocol' });
    }
    const authorization = digestAuthorization({ challenge, method: 'GET', uri: path, username, password });
    return judge(await get(authorization), ` to Digest ${challenge.algorithm}`);
  } catch (err) {
    const e = classifyNetError(err);
    return observe('error', e.message, { failure: e.failure });
  }
}
