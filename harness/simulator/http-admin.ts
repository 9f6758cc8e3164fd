import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { TlsOptions } from 'node:tls';
import { checkLogin, type Login } from './credentials.js';
import type { AccountLockout } from './lockout.js';
import type { RunningService } from './tcp.js';
import { readBody } from './read-body.js';
import { serveHttp, send, sendJson } from './http-server.js';

/**
 * `web-admin`: the camera's admin UI, over HTTP or, given `tls`, HTTPS. `/` is public; `/admin`,
 * `/api/status`, `/api/firmware` and `POST /api/update/check` need HTTP Basic auth (realm "SIM-CAM") or a
 * session cookie from `POST /login`.
 */

export const REALM = 'SIM-CAM';
export const FIRMWARE_PATH = '/api/firmware';
export const PROTECTED_PATHS = ['/admin', '/api/status', FIRMWARE_PATH] as const;
/** Asks the update client to check for an update now. */
export const UPDATE_CHECK_PATH = '/api/update/check';
const SESSION_COOKIE = 'SIMSESSION';

export interface HttpAdminOptions {
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  port: number;
  login: Login;
  /** Called once per request that presents credentials (Basic header or login form). */
  onAuthAttempt(): void;
  lockout?: AccountLockout;
  /** Serve HTTPS with these settings; plain HTTP without. */
  tls?: TlsOptions;
  /** The firmware version the device runs now. */
  firmware(): string;
  /** Starts an update check (POST /api/update/check); absent: the path does not exist. */
  onUpdateCheck?(): void;
}

const LANDING = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ACME SIM-CAM</title></head>
<body><h1>ACME SIM-CAM</h1><p>Network camera. <a href="/admin">Administration</a></p>
<form method="post" action="/login"><input name="username"><input name="password" type="password"><button>Log in</button></form>
</body></html>
`;

const adminPage = (firmware: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ACME SIM-CAM admin</title></head>
<body><h1>SIM-CAM administration</h1><p>Firmware ${firmware}</p></body></html>
`;

function parseBasic(header: string | undefined): { username: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function unauthorized(res: ServerResponse): void {
  send(res, 401, 'text/html; charset=utf-8', '<!DOCTYPE html><title>401 Unauthorized</title><h1>401 Unauthorized</h1>\n', {
    'WWW-Authenticate': `Basic realm="${REALM}"`,
  });
}

function lockedOut(res: ServerResponse, remainingMs: number): void {
  send(res, 429, 'text/plain; charset=utf-8', 'Account locked after repeated failures; try again later\n', {
    'Retry-After': String(Math.ceil(remainingMs / 1000)),
  });
}

export async function startHttpAdmin(options: HttpAdminOptions): Promise<RunningService> {
  const sessions = new Set<string>();

  /** Basic auth or a session; answers 401 or 429 itself when neither lets the request in. */
  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    let ok = false;
    const basic = parseBasic(req.headers.authorization);
    if (req.headers.authorization !== undefined) {
      options.onAuthAttempt();
      const verdict = basic === null ? 'rejected' : checkLogin(options.login, basic.username, basic.password, options.lockout);
      if (verdict === 'locked') {
        lockedOut(res, options.lockout!.remainingMs(basic!.username));
        return false;
      }
      ok = verdict === 'accepted';
    }
    if (!ok) {
      const session = cookieValue(req.headers.cookie, SESSION_COOKIE);
      ok = session !== undefined && sessions.has(session);
    }
    if (!ok) unauthorized(res);
    return ok;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://device').pathname;
    const method = req.method ?? 'GET';

    if (path === '/' && (method === 'GET' || method === 'HEAD')) {
      send(res, 200, 'text/html; charset=utf-8', LANDING);
      return;
    }

    const updateCheck = path === UPDATE_CHECK_PATH && method === 'POST' && options.onUpdateCheck !== undefined;
    if (((PROTECTED_PATHS as readonly string[]).includes(path) && (method === 'GET' || method === 'HEAD')) || updateCheck) {
      if (!authorized(req, res)) return;
      if (updateCheck) {
        options.onUpdateCheck!();
        sendJson(res, 202, { checking: true });
      } else if (path === '/admin') send(res, 200, 'text/html; charset=utf-8', adminPage(options.firmware()));
      else sendJson(res, 200, { model: 'SIM-CAM', firmware: options.firmware() });
      return;
    }

    if (path === '/login' && method === 'POST') {
      const body = await readBody(req);
      if (body === null) {
        send(res, 413, 'text/plain', 'request too large\n', { Connection: 'close' });
        return;
      }
      options.onAuthAttempt();
      const form = new URLSearchParams(body);
      const verdict = checkLogin(options.login, form.get('username'), form.get('password'), options.lockout);
      if (verdict === 'locked') {
        lockedOut(res, options.lockout!.remainingMs(form.get('username') ?? ''));
        return;
      }
      if (verdict === 'accepted') {
        const token = randomBytes(24).toString('hex');
        sessions.add(token);
        res.writeHead(302, {
          Location: '/admin',
          'Set-Cookie': `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`,
          'Content-Length': 0,
        });
        res.end();
      } else {
        unauthorized(res);
      }
      return;
    }

    send(res, 404, 'text/plain', 'not found\n');
  };

  const { port, close } = await serveHttp(handle, { host: options.host, port: options.port, keepAliveTimeoutMs: 2000, tls: options.tls });
  return {
    port,
    close,
  };
}
