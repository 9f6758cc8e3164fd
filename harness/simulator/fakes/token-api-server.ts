import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readBody } from '../read-body.js';
import { serveHttp, sendJson } from '../http-server.js';

/**
 * A device's JSON API login: POST /api/login {"username","password"} answers 200 with a fresh access
 * token at `tokenField` (a dotted path) or 401 {"error":"bad credentials"}.
 */

export interface TokenApiServerOptions {
  /** A 127.x address to bind. */
  host: string;
  port?: number;
  username: string;
  password: string;
  /** Where the token sits in the answer; default "data.accessToken". */
  tokenField?: string;
}

export interface TokenApiServer {
  host: string;
  port: number;
  /** POST /api/login requests received, whatever became of them. */
  attempts(): number;
  /** Every token handed out so far, so tests can look for them where they must not be. */
  issuedTokens(): string[];
  close(): Promise<void>;
}

function same(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** {"data":{"accessToken":token}} for "data.accessToken". */
function nest(path: string, token: string): unknown {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), token);
}

function parseLogin(text: string): { username?: unknown; password?: unknown } | null {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null ? (json as { username?: unknown; password?: unknown }) : null;
  } catch {
    return null;
  }
}

export async function startTokenApiServer(options: TokenApiServerOptions): Promise<TokenApiServer> {
  const tokenField = options.tokenField ?? 'data.accessToken';
  const issued: string[] = [];
  let attempts = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://device').pathname;
    if (path !== '/api/login') return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
    const body = await readBody(req);
    attempts++;
    const login = body === null ? null : parseLogin(body);
    if (login === null) return sendJson(res, 400, { error: 'bad request' });
    if (!same(login.username, options.username) || !same(login.password, options.password)) return sendJson(res, 401, { error: 'bad credentials' });
    const token = randomBytes(32).toString('base64url');
    issued.push(token);
    sendJson(res, 200, nest(tokenField, token));
  };

  const { port, close } = await serveHttp(handle, { host: options.host, port: options.port });
  return {
    host: options.host,
    port,
    attempts: () => attempts,
    issuedTokens: () => [...issued],
    close,
  };
}
