import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Real Debian daemons for integration tests. Missing one is a skip with a clear note on a developer
 * machine, and a failure under CI (CI=true), where .ci/run must have installed it.
 */
export function requireBinaries(ctx: Mocha.Context, binaries: Record<string, string>): void {
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

export interface Daemon {
  process: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

/** Starts a foreground daemon and waits (bounded) until it accepts TCP connections on host:port. */
export async function startDaemon(command: string, args: string[], host: string, port: number): Promise<Daemon> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const daemon: Daemon = {
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
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${output}`);
    if (await accepts(host, port)) return daemon;
    await sleep(100);
  }
  await daemon.stop();
  throw new Error(`${command} did not accept connections on ${host}:${port} within 5 s: ${output}`);
}
