import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listenPort, type Daemon, type ListenPlacement } from './daemons.js';
import { fixtureUsersScript, startNamespacedDaemon } from './fixture-users.js';

export interface OpenSshOptions extends ListenPlacement {
  /** Host keys to generate (ssh-keygen -t, -b); one ECDSA P-256 key by default. */
  hostKeys?: Array<{ type: 'ecdsa' | 'ed25519' | 'rsa'; bits?: number }>;
  /** false: key-only, as sshd reads only the first value of a keyword and extraConfig comes after the default. */
  passwordAuthentication?: boolean;
}

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
export async function startOpenSsh(host: string, users: Record<string, string>, extraConfig = '', options: OpenSshOptions = {}): Promise<OpenSsh> {
  const { dir, mountCommands } = fixtureUsersScript(users, 'jcstar-openssh-');
  const hostKeys = (options.hostKeys ?? [{ type: 'ecdsa' }]).map(({ type, bits }) => {
    const file = join(dir, `host_${type}${bits ? `_${bits}` : ''}_key`);
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-f', file]);
    return file;
  });
  const port = await listenPort(host, options);
  const log = join(dir, 'sshd.log');
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `ListenAddress ${host}:${port}`,
      ...hostKeys.map((file) => `HostKey ${file}`),
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      `PasswordAuthentication ${options.passwordAuthentication === false ? 'no' : 'yes'}`,
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
  const daemon = await startNamespacedDaemon(script, host, port, { netns: options.netns });
  return { ...daemon, host, port, authLog: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}
