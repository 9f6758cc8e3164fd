import { request, type IncomingMessage } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';

export interface HttpBasicProbe {
  host: string;
  port: number;
  tls: boolean;
  path: string;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

const BODY_EXCERPT = 512;
const RAW_LIMIT = 64 * 1024;
/** 423 Locked and 429 Too Many Requests: the server says it is holding the client off. */
const LOCKOUT_STATUSES = new Set([423, 429]);

async function openStream(net: GuardedNetwork, probe: HttpBasicProbe): Promise<Duplex> {
  const socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  if (!probe.tls) return socket;
  // Grading the certificate is S1.1-12's job; here any certificate must not stop the login test.
  const secure = tlsConnect({ socket, rejectUnauthorized: false, servername: undefined });
  secure.on('error', () => {});
  return secure;
}

function describeResponse(res: IncomingMessage, body: string): string {
  const headers = Object.entries(res.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
  return [`HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}`, ...headers, '', body.slice(0, BODY_EXCERPT)].join('\r\n');
}

/** One GET with HTTP Basic credentials. 2xx is accepted, 401/403 rejected, 423/429 locked, anything else an error. */
export async function probeHttpBasic(net: GuardedNetwork, probe: HttpBasicProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const { username, password } = probe.credential;
  const sent = `GET ${probe.path} HTTP/1.1\r\nHost: ${probe.host}:${probe.port}\r\nAuthorization: Basic base64(${username}:${password})\r\n`;
  const fail = (err: unknown): AuthObservation => {
    const e = classifyNetError(err);
    return { outcome: 'error', failure: e.failure, detail: e.message, latencyMs: elapsed(started), sent, received: '' };
  };
  let stream: Duplex;
  try {
    stream = await openStream(net, probe);
  } catch (err) {
    return fail(err);
  }
  const raw: Buffer[] = [];
  let rawSize = 0;
  stream.on('data', (chunk: Buffer) => {
    if (rawSize < RAW_LIMIT) raw.push(chunk.subarray(0, RAW_LIMIT - rawSize));
    rawSize += chunk.length;
  });
  try {
    const authorization = `Basic ${Buffer.from(`${username}:${password.reveal()}`).toString('base64')}`;
    const { res, body } = await new Promise<{ res: IncomingMessage; body: string }>((resolve, reject) => {
      const req = request({
        host: probe.host,
        port: probe.port,
        path: probe.path,
        method: 'GET',
        headers: { Authorization: authorization, 'User-Agent': 'jcstar', Connection: 'close' },
        createConnection: () => stream,
        signal: probe.signal,
      });
      // request()'s own `timeout` never fires on a socket handed over already connected; time the whole exchange.
      const timer = setTimeout(() => req.destroy(new NetError('timeout', `no complete HTTP response within ${probe.timeoutMs} ms`)), probe.timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < BODY_EXCERPT * 4) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.end();
    });
    const status = res.statusCode ?? 0;
    const received = describeResponse(res, body);
    const outcome = status >= 200 && status < 300 ? 'accepted'
      : status === 401 || status === 403 ? 'rejected'
      : LOCKOUT_STATUSES.has(status) ? 'locked'
      : 'error';
    const retryAfter = res.headers['retry-after'];
    return {
      outcome,
      ...(outcome === 'error' ? { failure: 'protocol' as const } : {}),
      ...(outcome === 'locked' ? { lockoutSignal: `HTTP ${status}${retryAfter ? ` Retry-After: ${retryAfter}` : ''}` } : {}),
      detail: `HTTP ${status}`,
      latencyMs: elapsed(started),
      sent,
      received,
      rawReceived: Buffer.concat(raw),
    };
  } catch (err) {
    return fail(err);
  } finally {
    stream.destroy();
  }
}
