import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { readBody } from '../read-body.js';
import { serveHttp, send, sendJson } from '../http-server.js';

/**
 * A device that ships with no password at all (S1.1-02 "user-set-at-first-use"). Until the user sets
 * one, /admin redirects to /setup and /api/status answers 403, whatever credentials are offered; POST
 * /setup takes the password once. Afterwards /admin and /api/status need HTTP Basic admin:<password>
 * and /setup is closed.
 */

export interface FirstUseDeviceOptions {
  /** A 127.x address to bind. */
  host: string;
  port?: number;
  /** A flawed build: /admin works before any password is set (the S1.1-02 first-use FAIL fixture). */
  servesAdminBeforeSetup?: boolean;
}

export interface FirstUseDevice {
  host: string;
  port: number;
  state(): { passwordSet: boolean };
  /** Requests that presented HTTP Basic credentials. */
  attempts(): number;
  close(): Promise<void>;
}

export const ADMIN_USER = 'admin';
export const MIN_PASSWORD_LENGTH = 8;
const REALM = 'FIRST-USE';

const SETUP_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Set up</title></head>
<body><h1>Welcome</h1><p>Choose the administrator password (at least ${MIN_PASSWORD_LENGTH} characters).</p>
<form method="post" action="/setup">
<label>New password <input type="password" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}"></label>
<button>Save</button>
</form></body></html>
`;

const ADMIN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Administration</title></head>
<body><h1>Administration</h1></body></html>
`;

/** The password field of a form or JSON body; undefined when there is none. */
function submittedPassword(req: IncomingMessage, body: string): string | undefined {
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const json: unknown = JSON.parse(body);
      const password = typeof json === 'object' && json !== null ? (json as { password?: unknown }).password : undefined;
      return typeof password === 'string' ? password : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get('password') ?? undefined;
}

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startFirstUseDevice(options: FirstUseDeviceOptions): Promise<FirstUseDevice> {
  let password: string | null = null;
  let attempts = 0;

  const setup = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    if (password !== null) return sendJson(res, 403, { error: 'password already set' });
    const wanted = body === null ? undefined : submittedPassword(req, body);
    if (wanted === undefined || wanted.length < MIN_PASSWORD_LENGTH) {
      return sendJson(res, 400, { error: `password must be at least ${MIN_PASSWORD_LENGTH} characters` });
    }
    password = wanted;
    if ((req.headers['content-type'] ?? '').startsWith('application/json')) sendJson(res, 200, { status: 'password set' });
    else send(res, 303, 'text/plain', 'password set\n', { Location: '/admin' });
  };

  const protectedResource = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (req.headers.authorization !== undefined) attempts++;
    if (password === null) {
      if (path === '/admin' && options.servesAdminBeforeSetup) send(res, 200, 'text/html; charset=utf-8', ADMIN_PAGE);
      else if (path === '/admin') send(res, 302, 'text/plain', 'set a password first\n', { Location: '/setup' });
      else sendJson(res, 403, { error: 'set a password first' });
      return;
    }
    const offered = basicCredentials(req.headers.authorization);
    if (!offered || !same(offered.username, ADMIN_USER) || !same(offered.password, password)) {
      send(res, 401, 'text/plain', 'authentication required\n', { 'WWW-Authenticate': `Basic realm="${REALM}"` });
      return;
    }
    if (path === '/admin') send(res, 200, 'text/html; charset=utf-8', ADMIN_PAGE);
    else sendJson(res, 200, { status: 'ok' });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://device').pathname;
    const method = req.method ?? 'GET';
    if ((path === '/admin' || path === '/api/status') && method === 'GET') protectedResource(req, res, path);
    else if (path === '/setup' && method === 'GET') {
      if (password === null) send(res, 200, 'text/html; charset=utf-8', SETUP_PAGE);
      else sendJson(res, 403, { error: 'password already set' });
    } else if (path === '/setup' && method === 'POST') await setup(req, res);
    else send(res, 404, 'text/plain', 'not found\n');
  };

  const { port, close } = await serveHttp(handle, { host: options.host, port: options.port });
  return {
    host: options.host,
    port,
    state: () => ({ passwordSet: password !== null }),
    attempts: () => attempts,
    close,
  };
}
