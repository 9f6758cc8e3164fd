import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon, superviseDaemon, type Daemon } from './daemons.js';
import { tempDir } from './run-profile.js';

/** chrony's Debian binary; callers check requireBinaries for it first. */
export const CHRONYD_BINARIES = { chronyd: 'chrony' } as const;

export interface Chronyd extends Daemon {
  host: string;
  port: number;
}

/**
 * Real chronyd in the foreground as an NTP server on host:port/udp, serving its local clock at stratum 8
 * (`local`), never touching the system clock (-x), with no command port and files of its own only.
 */
export async function startChronyd(options: { host: string; port: number; netns?: string }): Promise<Chronyd> {
  const dir = tempDir('jcstar-chrony-');
  const conf = join(dir, 'chrony.conf');
  const lines = [`port ${options.port}`, `bindaddress ${options.host}`, 'allow 127.0.0.0/8', 'local stratum 8', 'cmdport 0', `pidfile ${join(dir, 'chronyd.pid')}`, `driftfile ${join(dir, 'drift')}`];
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const args = ['-d', '-x', '-u', 'root', '-f', conf];
  if (options.netns) {
    const daemon = await startDaemon('chronyd', args, options.host, options.port, { netns: options.netns, transport: 'udp' });
    return { ...daemon, host: options.host, port: options.port };
  }
  const child = spawn('chronyd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const daemon: Chronyd = { ...superviseDaemon(child), host: options.host, port: options.port };
  if (await untilServed(options.host, options.port, () => child.exitCode !== null)) return daemon;
  await daemon.stop();
  throw new Error(`chronyd did not answer NTP on ${options.host}:${options.port}/udp within 5 s: ${daemon.log()}`);
}

/** Sends NTP client packets until one is answered, bounded to 5 s: UDP has no connection to wait for. */
async function untilServed(host: string, port: number, exited: () => boolean): Promise<boolean> {
  const socket = createSocket('udp4');
  let answered = false;
  socket.on('message', () => (answered = true));
  socket.on('error', () => {});
  const request = Buffer.alloc(48);
  request[0] = (4 << 3) | 3;
  try {
    for (let i = 0; i < 50 && !answered && !exited(); i++) {
      socket.send(request, port, host);
      await sleep(100);
    }
  } finally {
    socket.close();
  }
  return answered;
}
