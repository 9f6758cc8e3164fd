import { request, type IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError } from '../../net/errors.js';
import { elapsed } from '../auth-observation.js';

export interface HttpRequestSpec {
  host: string;
  port: number;
  tls: boolean;
  method: string;
  /** Path and query, as sent on the request line. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Host name for SNI on TLS; without it none is sent (an IP literal may not be). */
  serverName?: string;
  /** Resolve on the response head and leave the body unread (it may be endless, e.g. a camera stream). */
  headOnly?: boolean;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  statusMessage: string;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  /** Header names and values as received, in order, duplicates kept. */
  rawHeaders: string[];
  /** The decoded body, capped at BODY_LIMIT bytes. */
  body: Buffer;
  /** The bytes as they came off the socket (after TLS), capped at RAW_LIMIT bytes. */
  raw: Buffer;
  latencyMs: number;
}

export const BODY_LIMIT = 64 * 1024;
export const RAW_LIMIT = 64 * 1024;
/** Body bytes read at most before giving up: past BODY_LIMIT they are only counted, and a body without end must not keep jcstar reading. */
const BODY_READ_LIMIT = 1024 * 1024;
const BODY_EXCERPT = 512;
const MASK = 0x2a;
/** 423 Locked and 429 Too Many Requests: the server says it is holding the client off. */
const HOLD_OFF_STATUSES = new Set([423, 429]);

/** The origin a device's URLs resolve against, e.g. for a cookie jar or a redirect's Location. */
export function originOf(spec: Pick<HttpRequestSpec, 'host' | 'port' | 'tls'>): string {
  // Only IPv6 literals hold colons (the scope guard admits IP literals only).
  const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  return `${spec.tls ? 'https' : 'http'}://${host}:${spec.port}`;
}

function asNetError(err: unknown): NetError {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  // The device answered, but not in TLS (OpenSSL's message says how).
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) return new NetError('protocol', `no TLS handshake: ${e.message.trim()}`, { cause: err });
  // llhttp's parse errors: the device answered, but not in HTTP.
  if (code.startsWith('HPE_')) return new NetError('protocol', `malformed HTTP response (${code})`, { cause: err });
  return classifyNetError(err);
}

/**
 * One HTTP request on a fresh guarded connection, closed afterwards. Rejects with a NetError only;
 * any status, even 5xx, is a response.
 */
export async function httpExchange(net: GuardedNetwork, spec: HttpRequestSpec): Promise<HttpResponse> {
  const started = process.hrtime.bigint();
  let stream: Duplex;
  try {
    stream = await net.connectStream(spec.host, spec.port, spec);
  } catch (err) {
    throw asNetError(err);
  }
  const raw: Buffer[] = [];
  let rawSize = 0;
  stream.on('data', (chunk: Buffer) => {
    if (rawSize < RAW_LIMIT) raw.push(chunk.subarray(0, RAW_LIMIT - rawSize));
    rawSize += chunk.length;
  });
  const headers: Record<string, string> = { 'User-Agent': 'jcstar', ...spec.headers, Connection: 'close' };
  if (spec.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(spec.body));
  try {
    return await new Promise<HttpResponse>((resolve, reject) => {
      const req = request({
        host: spec.host,
        port: spec.port,
        path: spec.path,
        method: spec.method,
        headers,
        createConnection: () => stream,
        signal: spec.signal,
      });
      // request()'s own `timeout` never fires on a socket handed over already connected; time the whole exchange.
      const awaited = spec.headOnly ? 'HTTP response head' : 'complete HTTP response';
      const timer = setTimeout(() => req.destroy(new NetError('timeout', `no ${awaited} within ${spec.timeoutMs} ms`)), spec.timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.on('response', (res) => {
        const response = (body: Buffer): HttpResponse => ({
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? '',
          httpVersion: res.httpVersion,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body,
          raw: Buffer.concat(raw),
          latencyMs: elapsed(started),
        });
        if (spec.headOnly) return resolve(response(Buffer.alloc(0)));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < BODY_LIMIT) chunks.push(chunk.subarray(0, BODY_LIMIT - size));
          size += chunk.length;
          if (size > BODY_READ_LIMIT) req.destroy(new NetError('protocol', `response body longer than ${BODY_READ_LIMIT} bytes; jcstar stopped reading`));
        });
        res.on('error', reject);
        res.on('end', () => resolve(response(Buffer.concat(chunks))));
      });
      req.end(spec.body);
    });
  } catch (err) {
    throw asNetError(err);
  } finally {
    stream.destroy();
  }
}

/** "HTTP 423 Retry-After: 30" when the status says the device is holding the client off, else null. */
export function holdOffSignal(res: HttpResponse): string | null {
  if (!HOLD_OFF_STATUSES.has(res.status)) return null;
  const retryAfter = res.headers['retry-after'];
  return `HTTP ${res.status}${retryAfter ? ` Retry-After: ${retryAfter}` : ''}`;
}

/** "name=value; attrs" → "name=[REDACTED:cookie]; attrs": a session cookie is a credential too. */
function maskCookie(header: string): string {
  return header.replace(/^(\s*[^=;]+=)[^;]*/, '$1[REDACTED:cookie]');
}

function maskCookieList(header: string): string {
  return header.split(';').map(maskCookie).join(';');
}

function headerLines(headers: Record<string, string | string[] | undefined>): string[] {
  return Object.entries(headers).flatMap(([name, value]) => {
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    const lower = name.toLowerCase();
    const shown = lower === 'set-cookie' ? values.map(maskCookie) : lower === 'cookie' ? values.map(maskCookieList) : values;
    return shown.map((v) => `${name}: ${v}`);
  });
}

/** The request as a transcript: cookie values masked, the body as given (secrets already as markers). */
export function describeRequest(spec: Pick<HttpRequestSpec, 'method' | 'path' | 'host' | 'port' | 'headers'>, bodyText?: string): string {
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, `Host: ${spec.host}:${spec.port}`, ...headerLines(spec.headers)];
  return [...lines, '', bodyText ?? ''].join('\r\n');
}

/** The response as a transcript: status, headers with cookie values masked, and a body excerpt. */
export function describeResponse(res: HttpResponse, bodyText = res.body.toString('utf8')): string {
  return [`HTTP/${res.httpVersion} ${res.status} ${res.statusMessage}`, ...headerLines(res.headers), '', bodyText.slice(0, BODY_EXCERPT)].join('\r\n');
}

/**
 * The raw response with every Set-Cookie value overwritten by '*' of the same length, so the artifact
 * keeps its framing but carries no live session.
 */
export function maskRawCookies(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end === -1 ? raw.length : end).toString('latin1');
  const masked = Buffer.from(raw);
  const line = /(^|\r\n)set-cookie:[ \t]*[^=;\r\n]*=([^;\r\n]*)/gi;
  for (let m = line.exec(head); m !== null; m = line.exec(head)) {
    const value = m[2] ?? '';
    const at = m.index + m[0].length - value.length;
    masked.fill(MASK, at, at + value.length);
  }
  return masked;
}
