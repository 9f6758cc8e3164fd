import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readBody } from '../read-body.js';
import { serveHttp, send } from '../http-server.js';

/**
 * A web admin with a browser-style login: GET /login hands out a session cookie and a per-session CSRF
 * token; POST /login checks the token, then the credential. Consecutive failures from any client can
 * lock every login (even the right one) for a while, and each failure can be answered late.
 */

export interface FormLoginServerOptions {
  /** A 127.x address to bind. */
  host: string;
  port?: number;
  username: string;
  password: string;
  /** Consecutive failed logins that lock the account; no lockout when absent. */
  lockoutAfter?: number;
  lockoutMs?: number;
  /** Added before answering each wrong credential. */
  delayAfterFailureMs?: number;
}

export interface FormLoginServer {
  host: string;
  port: number;
  /** POST /login requests received, whatever became of them. */
  attempts(): number;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'session';
const AUTH_COOKIE = 'auth';
const DEFAULT_LOCKOUT_MS = 60_000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(csrf: string, message?: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Log in</title></head>
<body><h1>Log in</h1>${message ? `\n<p class="error">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="${escapeHtml(csrf)}">
<label>User <input name="username" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button>Log in</button>
</form></body></html>
`;
}

const DASHBOARD = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Dashboard</title></head>
<body><h1>Dashboard</h1><p>Logged in.</p></body></html>
`;

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function same(a: string | null | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startFormLoginServer(options: FormLoginServerOptions): Promise<FormLoginServer> {
  const csrfBySession = new Map<string, string>();
  const authTokens = new Set<string>();
  const pendingDelays = new Set<NodeJS.Timeout>();
  let attempts = 0;
  let consecutiveFailures = 0;
  let lockedUntil = 0;

  const later = (ms: number, then: () => void): void => {
    const timer = setTimeout(() => {
      pendingDelays.delete(timer);
      then();
    }, ms);
    pendingDelays.add(timer);
  };

  const showLogin = (req: IncomingMessage, res: ServerResponse): void => {
    let session = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const headers: Record<string, string> = {};
    if (session === undefined || !csrfBySession.has(session)) {
      session = randomBytes(16).toString('hex');
      csrfBySession.set(session, randomBytes(16).toString('hex'));
      headers['Set-Cookie'] = `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict`;
    }
    send(res, 200, 'text/html; charset=utf-8', loginPage(csrfBySession.get(session) ?? ''), headers);
  };

  const handleLogin = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    attempts++;
    if (body === null) {
      send(res, 413, 'text/plain', 'request too large\n', { Connection: 'close' });
      return;
    }
    if (Date.now() < lockedUntil) {
      const retryAfter = Math.ceil((lockedUntil - Date.now()) / 1000);
      send(res, 423, 'text/plain; charset=utf-8', 'Account locked, try again later\n', { 'Retry-After': String(retryAfter) });
      return;
    }
    const form = new URLSearchParams(body);
    const session = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const expectedCsrf = session === undefined ? undefined : csrfBySession.get(session);
    if (expectedCsrf === undefined || !same(form.get('csrf_token'), expectedCsrf)) {
      send(res, 403, 'text/plain; charset=utf-8', 'CSRF check failed\n');
      return;
    }
    if (same(form.get('username'), options.username) && same(form.get('password'), options.password)) {
      consecutiveFailures = 0;
      const token = randomBytes(24).toString('hex');
      authTokens.add(token);
      res.writeHead(302, { Location: '/dashboard', 'Set-Cookie': `${AUTH_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`, 'Content-Length': 0 });
      res.end();
      return;
    }
    consecutiveFailures++;
    if (options.lockoutAfter !== undefined && consecutiveFailures >= options.lockoutAfter) {
      consecutiveFailures = 0;
      lockedUntil = Date.now() + (options.lockoutMs ?? DEFAULT_LOCKOUT_MS);
    }
    const refuse = () => send(res, 200, 'text/html; charset=utf-8', loginPage(expectedCsrf, 'Invalid username or password'));
    if (options.delayAfterFailureMs) later(options.delayAfterFailureMs, refuse);
    else refuse();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://device').pathname;
    const method = req.method ?? 'GET';
    if (path === '/login' && method === 'GET') showLogin(req, res);
    else if (path === '/login' && method === 'POST') await handleLogin(req, res);
    else if (path === '/dashboard' && method === 'GET') {
      const token = cookieValue(req.headers.cookie, AUTH_COOKIE);
      if (token !== undefined && authTokens.has(token)) send(res, 200, 'text/html; charset=utf-8', DASHBOARD);
      else send(res, 302, 'text/plain', 'log in first\n', { Location: '/login' });
    } else send(res, 404, 'text/plain', 'not found\n');
  };

  const { port, close } = await serveHttp(handle, { host: options.host, port: options.port });
  return {
    host: options.host,
    port,
    attempts: () => attempts,
    close: async () => {
      for (const timer of pendingDelays) clearTimeout(timer);
      pendingDelays.clear();
      await close();
    },
  };
}
