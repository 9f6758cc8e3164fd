import { createServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseAuthHeader, type AuthItem } from '../../probes/digest/challenge.js';
import { digestResponse } from '../../probes/digest/response.js';
import { RtspMessageReader, field, formatRtspMessage, rtspUrl, type RtspMessage } from '../../probes/rtsp/message.js';
import { SocketTracker, closeTcp, listenTcp } from '../tcp.js';

/**
 * A network camera's RTSP/1.0 server, in process (Debian ships none): OPTIONS and DESCRIBE of one H.264
 * stream at /stream1, behind Digest (MD5, qop=auth) or Basic auth, with an optional lockout that holds
 * every client off, whatever it sends, once enough consecutive logins failed, or redirecting every
 * DESCRIBE to RTSPS.
 */
export interface RtspServerOptions {
  host: string;
  /** 0 or absent: an ephemeral port. */
  port?: number;
  auth: 'digest' | 'basic' | 'none';
  username: string;
  password: string;
  /** Consecutive failed logins that start a lockout; absent: never locks. */
  lockoutAfter?: number;
  lockoutMs?: number;
  /** Answer every DESCRIBE with 301 to this base URL (e.g. rtsps://host:322) followed by the path, as a camera that enforces RTSPS. */
  redirectTo?: string;
}

export interface RunningRtspServer {
  host: string;
  port: number;
  /** Requests that presented credentials, locked out or not. */
  attempts(): number;
  close(): Promise<void>;
}

export const STREAM_PATH = '/stream1';
const REALM = 'jcstar fake camera';
const REMEMBERED_NONCES = 64;
const METHODS = 'OPTIONS, DESCRIBE';

function sdp(host: string): string {
  return [
    'v=0',
    `o=- 0 0 IN IP4 ${host}`,
    's=jcstar fake camera',
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'm=video 0 RTP/AVP 96',
    'a=rtpmap:96 H264/90000',
    'a=fmtp:96 packetization-mode=1;profile-level-id=42e01f',
    'a=control:trackID=1',
    '',
  ].join('\r\n');
}

function requestPath(url: string): string | null {
  try {
    return new URL(url, 'rtsp://camera').pathname.replace(/\/$/, '');
  } catch {
    return null;
  }
}

export async function startRtspServer(options: RtspServerOptions): Promise<RunningRtspServer> {
  const tracker = new SocketTracker();
  const nonces: string[] = [];
  let attempts = 0;
  let failures = 0;
  let lockedUntil = 0;

  const challenge = (): string => {
    if (options.auth === 'basic') return `Basic realm="${REALM}"`;
    const nonce = randomBytes(16).toString('hex');
    nonces.push(nonce);
    if (nonces.length > REMEMBERED_NONCES) nonces.shift();
    return `Digest realm="${REALM}", nonce="${nonce}", algorithm=MD5, qop="auth"`;
  };

  const digestValid = (item: AuthItem, method: string): boolean => {
    const p = item.params;
    const qop = p.qop === 'auth' ? 'auth' : undefined;
    if (p.username !== options.username || p.realm !== REALM || !nonces.includes(p.nonce ?? '') || p.uri === undefined) return false;
    if (p.algorithm !== undefined && p.algorithm.toUpperCase() !== 'MD5') return false;
    const expected = digestResponse({
      algorithm: 'MD5',
      username: options.username,
      realm: REALM,
      password: options.password,
      nonce: p.nonce!,
      method,
      uri: p.uri,
      ...(qop ? { qop, nc: p.nc ?? '', cnonce: p.cnonce ?? '' } : {}),
    });
    return p.response === expected;
  };

  const credentialsValid = (authorization: string, method: string): boolean => {
    const [item] = parseAuthHeader(authorization);
    if (!item) return false;
    const scheme = item.scheme.toLowerCase();
    if (options.auth === 'digest') return scheme === 'digest' && digestValid(item, method);
    return scheme === 'basic' && Buffer.from(item.token68 ?? '', 'base64').toString('utf8') === `${options.username}:${options.password}`;
  };

  const answer = (socket: Socket, cseq: string | undefined, status: string, fields: Array<[string, string]> = [], body = ''): void => {
    const head: Array<[string, string]> = [
      ...(cseq !== undefined ? [['CSeq', cseq] as [string, string]] : []),
      ['Server', 'jcstar-fake-rtsp'],
      ...fields,
      ['Content-Length', String(Buffer.byteLength(body))],
    ];
    socket.write(formatRtspMessage(`RTSP/1.0 ${status}`, head, body));
  };

  const handle = (socket: Socket, message: RtspMessage): void => {
    const request = /^([A-Z_]+) (\S+) RTSP\/1\.0$/.exec(message.startLine);
    const cseq = field(message, 'CSeq');
    if (!request || cseq === undefined) {
      answer(socket, cseq, '400 Bad Request', [['Connection', 'close']]);
      socket.end();
      return;
    }
    const method = request[1]!;
    const url = request[2]!;
    const authorization = field(message, 'Authorization');
    if (authorization !== undefined) attempts++;

    const now = Date.now();
    if (now < lockedUntil) {
      answer(socket, cseq, '423 Locked', [['Retry-After', String(Math.ceil((lockedUntil - now) / 1000))]]);
      return;
    }
    if (method === 'OPTIONS') return answer(socket, cseq, '200 OK', [['Public', METHODS]]);
    if (method !== 'DESCRIBE') return answer(socket, cseq, '405 Method Not Allowed', [['Allow', METHODS]]);
    if (options.redirectTo !== undefined) return answer(socket, cseq, '301 Moved Permanently', [['Location', `${options.redirectTo}${requestPath(url) ?? ''}`]]);
    if (requestPath(url) !== STREAM_PATH) return answer(socket, cseq, '404 Not Found');

    if (options.auth !== 'none') {
      if (authorization === undefined) return answer(socket, cseq, '401 Unauthorized', [['WWW-Authenticate', challenge()]]);
      if (!credentialsValid(authorization, method)) {
        failures++;
        if (options.lockoutAfter !== undefined && failures >= options.lockoutAfter) {
          lockedUntil = now + (options.lockoutMs ?? 60_000);
          failures = 0;
        }
        return answer(socket, cseq, '401 Unauthorized', [['WWW-Authenticate', challenge()]]);
      }
      failures = 0;
    }
    answer(socket, cseq, '200 OK', [['Content-Base', `${rtspUrl(options.host, port, STREAM_PATH)}/`], ['Content-Type', 'application/sdp']], sdp(options.host));
  };

  const server = createServer((socket) => {
    tracker.add(socket);
    const reader = new RtspMessageReader();
    socket.on('data', (chunk: Buffer) => {
      if (socket.writableEnded) return;
      try {
        for (const message of reader.push(chunk)) if (!socket.writableEnded) handle(socket, message);
      } catch {
        answer(socket, undefined, '400 Bad Request', [['Connection', 'close']]);
        socket.end();
      }
    });
  });
  const port = await listenTcp(server, options.port ?? 0, options.host);
  return {
    host: options.host,
    port,
    attempts: () => attempts,
    close: () => closeTcp(server, tracker),
  };
}
