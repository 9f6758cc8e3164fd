import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, type Daemon } from './daemons.js';
import { fixtureUsersScript, startNamespacedDaemon } from './fixture-users.js';

export interface OpenSsh extends Daemon {
  host: string;
  port: number;
  /** sshd's own log (LogLevel VERBOSE): one line per password it checked. */
  authLog(): string;
}

/**
 * Debian's OpenSSH sshd in the foreground on a loopback address of its own, with password
 * authentication and fixture users from a private mount namespace (UsePAM no, so sshd reads the
 * bind-mounted shadow itself). Callers check `requireBinaries(this, { sshd: 'openssh-server' })` first.
 */
export async function startOpenSsh(host: string, users: Record<string, string>, extraConfig = ''): Promise<OpenSsh> {
  const { dir, mountCommands } = fixtureUsersScript(users, 'jcstar-openssh-');
  execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', join(dir, 'host_ecdsa_key')]);
  const port = await freePort(host);
  const log = join(dir, 'sshd.log');
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `ListenAddress ${host}:${port}`,
      `HostKey ${join(dir, 'host_ecdsa_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      'LogLevel VERBOSE',
      'MaxStartups 100:30:200',
      extraConfig,
      '',
    ].join('\n'),
  );
  // sshd insists on its privilege-separation directory.
  const script = `${mountCommands} && mkdir -p /run/sshd && exec /usr/sbin/sshd -D -e -f ${join(dir, 'sshd_config')} -E ${log}`;
  const daemon = await startNamespacedDaemon(script, host, port);
  return { ...daemon, host, port, authLog: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}
