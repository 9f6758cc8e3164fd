import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon, type Daemon, type DaemonPlacement } from './daemons.js';

export interface FixtureUsers {
  /** A fresh directory holding the copies; daemons may keep their other files there too. */
  dir: string;
  /** Shell commands that put the copies in place of /etc/passwd and /etc/shadow (in a private mount namespace only). */
  mountCommands: string;
}

/**
 * Copies of /etc/passwd and /etc/shadow with `users` (name → password) added, or put in place of the host's
 * account of that name, the hashes made by `openssl passwd -6`, so that a daemon started by startNamespacedDaemon sees the fixture users and
 * the host's own files stay untouched.
 */
export function fixtureUsersScript(users: Record<string, string>, prefix = 'jcstar-users-'): FixtureUsers {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  // A fixture user named like a host account (root, on a camera) replaces it in the copies, with a uid of its own:
  // its shell is never the host's root.
  const others = (file: string) => readFileSync(file, 'utf8').split('\n').filter((line) => line && !Object.hasOwn(users, line.split(':')[0]!)).map((line) => `${line}\n`).join('');
  writeFileSync(join(dir, 'passwd'), others('/etc/passwd'));
  writeFileSync(join(dir, 'shadow'), others('/etc/shadow'), { mode: 0o640 });
  Object.entries(users).forEach(([user, password], i) => {
    const hash = execFileSync('openssl', ['passwd', '-6', '-salt', randomBytes(6).toString('hex'), '-stdin'], { input: password }).toString().trim();
    appendFileSync(join(dir, 'passwd'), `${user}:x:${4242 + i}:${4242 + i}:jcstar fixture:/tmp:/bin/sh\n`);
    appendFileSync(join(dir, 'shadow'), `${user}:${hash}:19000:0:99999:7:::\n`);
  });
  return { dir, mountCommands: `mount --bind ${dir}/passwd /etc/passwd && mount --bind ${dir}/shadow /etc/shadow` };
}

/**
 * Runs `script` in private mount and PID namespaces: its mounts never reach the host, and stopping it
 * ends every process it started (the daemon, its sessions, helpers such as a syslogd). A plain sh is
 * PID 1 and the script its child, because daemons do not expect to be init: vsftpd as PID 1 dies of
 * SIGSEGV when its first session ends. unshare blocks SIGTERM while it waits, so stop() kills it, and
 * --kill-child passes the kill on to PID 1, which takes the namespace down with it.
 */
export async function startNamespacedDaemon(script: string, host: string, port: number, placement: DaemonPlacement = {}): Promise<Daemon> {
  const daemon = await startDaemon('unshare', ['--mount', '--pid', '--fork', '--kill-child', 'sh', '-c', `(${script}) & wait`], host, port, placement);
  return {
    ...daemon,
    stop: async () => {
      const child = daemon.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(3000)]);
    },
  };
}
