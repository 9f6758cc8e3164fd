import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { DebianBinary } from './debian-binaries.js';

/**
 * Real Debian daemons for integration tests. Missing one is a skip with a clear note on a developer
 * machine, and a failure under CI (CI=true), where .ci/run must have installed it. The binaries are
 * DEBIAN_BINARIES names; the value is the package to suggest installing.
 */
export function requireBinaries(ctx: Mocha.Context, binaries: Partial<Record<DebianBinary, string>>): void {
  const missing = Object.entries(binaries).filter(([bin]) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
  if (missing.length === 0) return;
  const what = missing.map(([bin, pkg]) => `${bin} (Debian package ${pkg})`).join(', ');
  if (process.env.CI) throw new Error(`required daemon missing under CI: ${what}; .ci/run must install it`);
  console.warn(`      ⚠ skipped: ${what} not installed; run: apt-get install -y ${missing.map(([, p]) => p).join(' ')}`);
  ctx.skip();
}

export function requireRoot(ctx: Mocha.Context, why: string): void {
  if (process.getuid?.() === 0) return;
  if (process.env.CI) throw new Error(`this test needs root under CI: ${why}`);
  console.warn(`      ⚠ skipped: needs root (${why})`);
  ctx.skip();
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.connect(port, host);
  });
}

/** Whether something inside network namespace `netns` listens on host:port; the test process cannot connect there. */
async function listensIn(netns: string, transport: 'tcp' | 'udp', host: string, port: number): Promise<boolean> {
  const flags = transport === 'tcp' ? '-Hltn' : '-Hlun';
  try {
    const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', netns, 'ss', flags, 'src', `${host}:${port}`], { timeout: 2000 });
    return stdout.trim() !== '';
  } catch {
    return false;
  }
}

/** Where a daemon runs: by default in the test's own network namespace; `netns` puts it in one the test created. */
export interface DaemonPlacement {
  netns?: string;
  /** What readiness waits for: a TCP listener (default), or a UDP socket bound to host:port (only inside a netns). */
  transport?: 'tcp' | 'udp';
}

/** Where a fixture daemon listens: a free port by default; in a network namespace, the port a real device would use. */
export interface ListenPlacement {
  netns?: string;
  port?: number;
}

export async function listenPort(host: string, placement: ListenPlacement): Promise<number> {
  if (placement.port !== undefined) return placement.port;
  if (placement.netns) throw new Error('a daemon in a network namespace needs its port given: freePort looks at this namespace');
  return freePort(host);
}

export interface Daemon {
  process: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts a foreground daemon and waits (bounded) until it accepts TCP connections on host:port, or, in a
 * network namespace, until `ss` there shows it listening. `command` must be in DEBIAN_BINARIES, so that
 * test/ci/packages.test.ts knows every daemon the tests start.
 */
export async function startDaemon(command: DebianBinary, args: string[], host: string, port: number, placement: DaemonPlacement = {}): Promise<Daemon> {
  const { netns, transport = 'tcp' } = placement;
  // `ip netns exec` execs the command itself, so the child's pid is the daemon's and signals reach it.
  const child = netns ? spawn('ip', ['netns', 'exec', netns, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = () => (netns ? listensIn(netns, transport, host, port) : accepts(host, port));
  const daemon = superviseDaemon(child);
  const deadline = Date.now() + 5000;
  for (let i = 0; i < 50 && Date.now() < deadline; i++) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${daemon.log()}`);
    if (await ready()) return daemon;
    await sleep(100);
  }
  await daemon.stop();
  throw new Error(`${command} did not listen on ${host}:${port}/${transport}${netns ? ` in ${netns}` : ''} within 5 s: ${daemon.log()}`);
}

/** A spawned daemon's output, kept for failure messages, and a stop that escalates to SIGKILL after 3 s. */
export function superviseDaemon(child: ChildProcess): Daemon {
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return {
    process: child,
    log: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
