import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { parseAuthHeader, strongestDigest, type DigestChallenge } from '../digest/challenge.js';
import { digestAuthorization, type DigestAuthorization } from '../digest/response.js';
import { RtspConnection } from './connection.js';
import { DESCRIBE_FIELDS, describeRtspResponse, field, fieldValues, rtspUrl, type RtspResponse } from './message.js';

export interface RtspLoginProbe {
  host: string;
  port: number;
  path: string;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

export type RtspAuthScheme = { scheme: 'digest'; challenge: DigestChallenge } | { scheme: 'basic' };

/** 423 Locked and 429 Too Many Requests, borrowed from HTTP by cameras that hold a client off. */
const LOCKOUT_STATUSES = new Set([423, 429]);

/** The scheme to answer a 401 with: Digest when offered (the password then never crosses the wire), else Basic. */
export function rtspAuthScheme(wwwAuthenticate: readonly string[]): RtspAuthScheme | null {
  const items = parseAuthHeader(wwwAuthenticate);
  const challenge = strongestDigest(items);
  if (challenge) return { scheme: 'digest', challenge };
  return items.some((i) => i.scheme.toLowerCase() === 'basic') ? { scheme: 'basic' } : null;
}

function basicAuthorization({ username, password }: TrialCredential): DigestAuthorization {
  return {
    header: `Basic ${Buffer.from(`${username}:${password.reveal()}`).toString('base64')}`,
    transcript: `Basic base64(${username}:${password})`,
  };
}

/**
 * RTSP login: DESCRIBE without credentials to learn the challenge, then DESCRIBE answering it (on the
 * same connection unless the server closed it). 2xx is accepted, 401/403 rejected, 423/429 locked,
 * anything else an error; a 401 offering neither Digest nor Basic is an error, as nothing could be tried.
 */
export async function probeRtspLogin(net: GuardedNetwork, probe: RtspLoginProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const url = rtspUrl(probe.host, probe.port, probe.path);
  const options = { signal: probe.signal, timeoutMs: probe.timeoutMs };
  const connections: RtspConnection[] = [];
  const responses: RtspResponse[] = [];
  const observe = (outcome: AuthObservation['outcome'], detail: string, extra: Partial<AuthObservation> = {}): AuthObservation => {
    const raw = Buffer.concat(connections.map((c) => c.rawReceived));
    return {
      outcome,
      detail,
      latencyMs: elapsed(started),
      sent: connections.flatMap((c) => c.sent).join('\r\n'),
      received: responses.map(describeRtspResponse).join('\r\n\r\n'),
      ...(raw.length ? { rawReceived: raw } : {}),
      ...extra,
    };
  };
  const judge = (response: RtspResponse, note: string): AuthObservation => {
    const detail = `RTSP ${response.status}${note}`;
    if (response.status >= 200 && response.status < 300) return observe('accepted', detail);
    if (response.status === 401 || response.status === 403) return observe('rejected', detail);
    if (LOCKOUT_STATUSES.has(response.status)) {
      const retryAfter = field(response, 'Retry-After');
      return observe('locked', detail, { lockoutSignal: `RTSP ${response.status}${retryAfter ? ` Retry-After: ${retryAfter}` : ''}` });
    }
    return observe('error', detail, { failure: 'protocol' });
  };
  const describe = async (fields: Record<string, string>, redact?: Record<string, string>): Promise<RtspResponse> => {
    let connection = connections.at(-1);
    if (!connection?.open) {
      connection = await RtspConnection.open(net, probe.host, probe.port, options);
      connections.push(connection);
    }
    const response = await connection.request('DESCRIBE', url, fields, { ...options, ...(redact ? { redact } : {}) });
    responses.push(response);
    return response;
  };

  try {
    const first = await describe(DESCRIBE_FIELDS);
    if (first.status !== 401) return judge(first, ' before any credential was sent');
    const offered = fieldValues(first, 'WWW-Authenticate');
    const auth = rtspAuthScheme(offered);
    if (!auth) {
      const what = offered.length ? `WWW-Authenticate: ${offered.join(' | ')}` : 'no WWW-Authenticate';
      return observe('error', `RTSP 401 offered neither Digest nor Basic (${what})`, { failure: 'protocol' });
    }
    const authorization = auth.scheme === 'digest'
      ? digestAuthorization({ challenge: auth.challenge, method: 'DESCRIBE', uri: url, ...probe.credential })
      : basicAuthorization(probe.credential);
    if (field(first, 'Connection')?.toLowerCase() === 'close') connections.at(-1)!.close();
    const second = await describe({ ...DESCRIBE_FIELDS, Authorization: authorization.header }, { Authorization: authorization.transcript });
    return judge(second, auth.scheme === 'digest' ? ` to Digest ${auth.challenge.algorithm}` : ' to Basic');
  } catch (err) {
    const e = classifyNetError(err);
    return observe('error', e.message, { failure: e.failure });
  } finally {
    for (const c of connections) c.close();
  }
}
