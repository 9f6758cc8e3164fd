import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretEquals } from '../credentials.js';
import { readBody } from '../read-body.js';
import { serveHttp, sendJson } from '../http-server.js';

/**
 * A web admin whose password can be changed (S1.1-03). GET /admin needs HTTP Basic <username>:<password>;
 * POST /api/password, with the same Basic credentials and a form or JSON body {currentPassword,
 * newPassword}, changes it. The modes are the builds the S1.1-03 check must tell apart:
 * - `correct`: the new password replaces the old one;
 * - `broken`: answers 200 "password changed" and changes nothing;
 * - `keeps-old`: the new password works, and so does every earlier one.
 */

export type PasswordChangeMode = 'correct' | 'broken' | 'keeps-old';

export interface PasswordChangeDeviceOptions {
  /** A 127.x address to bind. */
  host: string;
  port?: number;
  username: string;
  password: string;
  mode: PasswordChangeMode;
  /** A careless API that repeats the new password in its answer. */
  echoesNewPassword?: boolean;
}

export interface PasswordChangeDevice {
  host: string;
  port: number;
  /** Whether /admin accepts this password now. */
  accepts(password: string): boolean;
  /** Every password the device was asked to change to, so tests can look for them where they must not be. */
  requestedPasswords(): string[];
  close(): Promise<void>;
}

export const MIN_PASSWORD_LENGTH = 8;
const REALM = 'PASSWORD-CHANGE';

/** currentPassword and newPassword from a form or JSON body. */
function changeRequest(req: IncomingMessage, body: string): { current?: string; next?: string } {
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const json = JSON.parse(body) as { currentPassword?: unknown; newPassword?: unknown };
      return {
        ...(typeof json.currentPassword === 'string' ? { current: json.currentPassword } : {}),
        ...(typeof json.newPassword === 'string' ? { next: json.newPassword } : {}),
      };
    } catch {
      return {};
    }
  }
  const form = new URLSearchParams(body);
  return { ...(form.has('currentPassword') ? { current: form.get('currentPassword')! } : {}), ...(form.has('newPassword') ? { next: form.get('newPassword')! } : {}) };
}

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function startPasswordChangeDevice(options: PasswordChangeDeviceOptions): Promise<PasswordChangeDevice> {
  let passwords = [options.password];
  const requested: string[] = [];
  const accepts = (password: string) => passwords.some((p) => secretEquals(password, p));
  const authenticated = (req: IncomingMessage): string | null => {
    const offered = basicCredentials(req.headers.authorization);
    return offered && secretEquals(offered.username, options.username) && accepts(offered.password) ? offered.password : null;
  };
  const challenge = (res: ServerResponse) => sendJson(res, 401, { error: 'authentication required' }, { 'WWW-Authenticate': `Basic realm="${REALM}"` });

  const change = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const current = authenticated(req);
    if (current === null) return challenge(res);
    const { current: stated, next } = body === null ? {} : changeRequest(req, body);
    if (stated === undefined || !secretEquals(stated, current)) return sendJson(res, 403, { error: 'current password does not match' });
    if (next === undefined || next.length < MIN_PASSWORD_LENGTH) return sendJson(res, 400, { error: `new password must be at least ${MIN_PASSWORD_LENGTH} characters` });
    requested.push(next);
    if (options.mode === 'correct') passwords = [next];
    else if (options.mode === 'keeps-old') passwords = [...passwords, next];
    sendJson(res, 200, { status: 'password changed', ...(options.echoesNewPassword ? { password: next } : {}) });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://device').pathname;
    if (path === '/admin' && req.method === 'GET') {
      if (authenticated(req) === null) challenge(res);
      else sendJson(res, 200, { page: 'administration' });
    } else if (path === '/api/password' && req.method === 'POST') await change(req, res);
    else sendJson(res, 404, { error: 'not found' });
  };

  const { port, close } = await serveHttp(handle, { host: options.host, port: options.port });
  return {
    host: options.host,
    port,
    accepts,
    requestedPasswords: () => [...requested],
    close,
  };
}
