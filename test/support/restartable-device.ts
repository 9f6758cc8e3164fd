import { createServer, type Server, type Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretEquals } from '../../harness/simulator/credentials.js';
import { readBody } from '../../harness/simulator/read-body.js';
import { serveHttp, sendJson } from '../../harness/simulator/http-server.js';

/**
 * A device whose power, network and factory reset a lab controls (S1.1-14, S1.1-15), with an HTTP admin:
 * GET /admin (HTTP Basic), POST /api/password (form currentPassword, newPassword), GET /api/version,
 * POST /api/notes (JSON {note}) and GET /api/notes. Its lab controls listen on a second loopback port, one
 * command a line, which restartable-device-control.ts sends as a real lab-host command would:
 * - power-cycle: the admin goes away and returns after `bootMs` (never, if `comesBack` is false);
 * - network-down / network-up: the admin goes away until network-up;
 * - factory-reset: the device resets, then boots as after a power cycle;
 * - dump-user-data: prints the stored notes (as a lab reads storage over a serial console);
 * - print-password: prints the admin password (a careless lab tool);
 * - hang: never answers.
 * The builds the checks must tell apart:
 * - `restart: 'keeps-state'` keeps a changed password across a power cycle; `'loses-state'` is back at
 *   the password it was provisioned with;
 * - `versionAfterPowerCycle` reports another firmware version after a power cycle (an update not kept);
 * - `reset: 'erases'` deletes the notes and the password (first use: every request is refused with 403
 *   until a password is set); `'keeps-user-data'` does the same but keeps the notes; `'keeps-credential'`
 *   deletes the notes but keeps whatever password was set;
 * - `factoryPassword: 'label'` is back at the password it was provisioned with after a reset (a unique
 *   label password), not at first use;
 * - `goesDownAfterMs` answers a power-cycle or factory-reset command at once and acts on it that much
 *   later, as a device that reboots after answering the request;
 * - `resetReboots: false` resets without rebooting: the admin answers throughout.
 */

export interface RestartableDeviceOptions {
  host: string;
  username: string;
  password: string;
  version: string;
  restart: 'keeps-state' | 'loses-state';
  reset: 'erases' | 'keeps-user-data' | 'keeps-credential';
  factoryPassword?: 'none' | 'label';
  goesDownAfterMs?: number;
  /** false: a factory reset erases without rebooting (its admin never goes away). */
  resetReboots?: boolean;
  comesBack?: boolean;
  bootMs?: number;
  /** The version the device reports after a power cycle: one that falls back to its factory firmware. */
  versionAfterPowerCycle?: string;
}

export interface RestartableDevice {
  host: string;
  port: number;
  controlPort: number;
  /** The password /admin takes now; null at first use. */
  password(): string | null;
  notes(): string[];
  /** Every password set through /api/password, in order: what must never reach a run's files. */
  passwordsSet(): string[];
  /** Commands the lab ran, in order. */
  commands(): string[];
  close(): Promise<void>;
}

const REALM = 'RESTARTABLE';
const DEFAULT_BOOT_MS = 300;
const MIN_PASSWORD_LENGTH = 8;
const MAX_NOTES = 100;

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function startRestartableDevice(options: RestartableDeviceOptions): Promise<RestartableDevice> {
  const bootMs = options.bootMs ?? DEFAULT_BOOT_MS;
  let password: string | null = options.password;
  let notes: string[] = [];
  let version = options.version;
  const ran: string[] = [];
  const passwordsSet: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const authenticated = (req: IncomingMessage): boolean => {
    const offered = basicCredentials(req.headers.authorization);
    return password !== null && offered !== null && secretEquals(offered.username, options.username) && secretEquals(offered.password, password);
  };
  const refuse = (res: ServerResponse) =>
    password === null
      ? sendJson(res, 403, { error: 'no password set yet', setup: '/setup' })
      : sendJson(res, 401, { error: 'authentication required' }, { 'WWW-Authenticate': `Basic realm="${REALM}"` });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://device').pathname;
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (!authenticated(req)) return refuse(res);
    if (path === '/admin' && req.method === 'GET') return sendJson(res, 200, { page: 'administration' });
    if (path === '/api/version' && req.method === 'GET') return sendJson(res, 200, { firmware: { version } });
    if (path === '/api/notes' && req.method === 'GET') return sendJson(res, 200, { notes });
    if (path === '/api/notes' && req.method === 'POST') {
      const note = parseNote(body);
      if (note === null || notes.length >= MAX_NOTES) return sendJson(res, 400, { error: 'expected {"note": "..."}' });
      notes.push(note);
      return sendJson(res, 201, { stored: notes.length });
    }
    if (path === '/api/password' && req.method === 'POST') {
      const form = new URLSearchParams(body ?? '');
      if (!secretEquals(form.get('currentPassword') ?? '', password!)) return sendJson(res, 403, { error: 'current password does not match' });
      const next = form.get('newPassword') ?? '';
      if (next.length < MIN_PASSWORD_LENGTH) return sendJson(res, 400, { error: `new password must be at least ${MIN_PASSWORD_LENGTH} characters` });
      password = next;
      passwordsSet.push(next);
      return sendJson(res, 200, { status: 'password changed' });
    }
    sendJson(res, 404, { error: 'not found' });
  };

  let admin: { port: number; close(): Promise<void> } | null = await serveHttp(handle, { host: options.host });
  const port = admin.port;
  const down = async () => {
    const open = admin;
    admin = null;
    await open?.close();
  };
  const up = async () => {
    if (!admin) admin = await serveHttp(handle, { host: options.host, port });
  };
  const bootLater = () => {
    if (options.comesBack === false) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void up();
    }, bootMs);
    timers.add(timer);
  };

  const powerCycle = async () => {
    await down();
    if (options.restart === 'loses-state' && password !== null) password = options.password;
    version = options.versionAfterPowerCycle ?? version;
    bootLater();
  };
  const factoryReset = async () => {
    if (options.resetReboots !== false) await down();
    if (options.reset !== 'keeps-credential') password = options.factoryPassword === 'label' ? options.password : null;
    if (options.reset !== 'keeps-user-data') notes = [];
    if (options.resetReboots !== false) bootLater();
  };
  /** At once, or `goesDownAfterMs` after the command was answered. */
  const act = async (effect: () => Promise<void>) => {
    if (options.goesDownAfterMs === undefined) return effect();
    const timer = setTimeout(() => {
      timers.delete(timer);
      void effect();
    }, options.goesDownAfterMs);
    timers.add(timer);
  };

  const control = async (command: string): Promise<string | null> => {
    ran.push(command);
    switch (command) {
      case 'power-cycle':
        await act(powerCycle);
        return 'ok power cycled';
      case 'network-down':
        await down();
        return 'ok link down';
      case 'network-up':
        await up();
        return 'ok link up';
      case 'factory-reset':
        await act(factoryReset);
        return 'ok factory reset';
      case 'dump-user-data':
        return `ok ${JSON.stringify({ notes })}`;
      case 'print-password':
        return `ok admin password is ${password ?? '(none)'}`;
      case 'hang':
        return null;
      default:
        return `error unknown command ${command}`;
    }
  };

  const sockets = new Set<Socket>();
  const controlServer: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let line = '';
    socket.on('data', (chunk: Buffer) => {
      line += chunk.toString('utf8');
      const end = line.indexOf('\n');
      if (end < 0) {
        if (line.length > 256) socket.destroy();
        return;
      }
      void control(line.slice(0, end).trim()).then((answer) => {
        if (answer !== null) socket.end(`${answer}\n`);
      });
    });
  });
  const controlPort = await new Promise<number>((resolve, reject) => {
    controlServer.once('error', reject);
    controlServer.listen(0, '127.0.0.1', () => resolve((controlServer.address() as { port: number }).port));
  });

  return {
    host: options.host,
    port,
    controlPort,
    password: () => password,
    notes: () => [...notes],
    passwordsSet: () => [...passwordsSet],
    commands: () => [...ran],
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => controlServer.close(() => resolve()));
      await down();
    },
  };
}

function parseNote(body: string | null): string | null {
  try {
    const json = JSON.parse(body ?? '') as { note?: unknown };
    return typeof json.note === 'string' ? json.note : null;
  } catch {
    return null;
  }
}
