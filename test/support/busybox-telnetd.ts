import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listenPort, type Daemon, type ListenPlacement } from './daemons.js';
import { fixtureUsersScript, startNamespacedDaemon } from './fixture-users.js';

/**
 * BusyBox telnetd on a loopback address of its own, as on countless IoT devices. Debian's `busybox`
 * has no telnetd or login applet; `busybox-static` has both.
 */

const APPLETS = ['telnetd', 'login', 'syslogd', 'sh'];
const ISSUE = 'jcstar fixture telnetd\n';

/** Skips (or, under CI, fails) unless the busybox on PATH has the applets these fixtures run. */
export function requireBusyboxApplets(ctx: Mocha.Context): void {
  const list = spawnSync('busybox', ['--list'], { encoding: 'utf8' });
  const missing = APPLETS.filter((a) => !(list.stdout ?? '').split('\n').includes(a));
  if (list.status === 0 && missing.length === 0) return;
  const what = `busybox applets ${missing.join(', ')} (Debian package busybox-static)`;
  if (process.env.CI) throw new Error(`required daemon missing under CI: ${what}; .ci/run must install it`);
  console.warn(`      ⚠ skipped: ${what} not available; run: apt-get install -y busybox-static`);
  ctx.skip();
}

function busyboxPath(): string {
  return spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
}

export interface BusyboxTelnetd extends Daemon {
  host: string;
  port: number;
  /** What busybox login wrote to syslog: one "invalid password for" line per failed login, nothing for a non-root success. */
  authLog(): string;
}

/**
 * telnetd with busybox login (`-l` a symlink named login, so busybox runs that applet) and `users`
 * as the only accounts besides the host's. busybox login logs through /dev/log, which a container
 * rarely has: the namespace gets its own /dev (a tmpfs with the few device nodes a pty login needs)
 * and a busybox syslogd writing to a file of the fixture.
 */
export async function startBusyboxLogin(host: string, users: Record<string, string>, placement: ListenPlacement = {}): Promise<BusyboxTelnetd> {
  // A container's root is locked ("*"), which busybox login cannot hash: it dies with "bad salt" on every root
  // login. A device's root has a password: a fresh unknown one, unless the fixture gives root its own.
  const { dir, mountCommands } = fixtureUsersScript({ root: randomBytes(12).toString('base64url'), ...users }, 'jcstar-telnetd-');
  symlinkSync(busyboxPath(), join(dir, 'login'));
  writeFileSync(join(dir, 'issue'), ISSUE);
  const port = await listenPort(host, placement);
  const script = [
    'set -e',
    mountCommands,
    `mkdir ${dir}/host-dev && mount --rbind /dev ${dir}/host-dev`,
    'mount -t tmpfs -o mode=755 jcstar-dev /dev',
    `for n in null zero full random urandom tty; do touch /dev/$n; mount --bind ${dir}/host-dev/$n /dev/$n; done`,
    // A bind-mounted /dev/ptmx finds no devpts beside it ("can't find free pty"); the link does.
    `mkdir /dev/pts && mount --rbind ${dir}/host-dev/pts /dev/pts && ln -s pts/ptmx /dev/ptmx`,
    `busybox syslogd -n -O ${dir}/auth.log &`,
    'i=0; while [ ! -S /dev/log ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done',
    `exec busybox telnetd -F -p ${port} -b ${host} -l ${dir}/login -f ${dir}/issue`,
  ].join('\n');
  const daemon = await startNamespacedDaemon(script, host, port, { netns: placement.netns });
  const log = join(dir, 'auth.log');
  return { ...daemon, host, port, authLog: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}

/**
 * telnetd whose "login program" is a BusyBox shell: the undeclared debug shell of the classic finding.
 * The shell runs as nobody, since anything on this host could connect to it while the test runs.
 */
export async function startBusyboxShell(host: string): Promise<Daemon & { host: string; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'jcstar-telnetd-shell-'));
  writeFileSync(join(dir, 'shell'), `#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env ${busyboxPath()} sh -l\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'issue'), ISSUE);
  const port = await freePort(host);
  const daemon = await startNamespacedDaemon(`exec busybox telnetd -F -p ${port} -b ${host} -l ${dir}/shell -f ${dir}/issue`, host, port);
  return { ...daemon, host, port };
}
