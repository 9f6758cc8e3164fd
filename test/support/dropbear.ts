import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort, type Daemon } from './daemons.js';
import { fixtureUsersScript, startNamespacedDaemon } from './fixture-users.js';

export interface Dropbear extends Daemon {
  host: string;
  port: number;
}

/**
 * Real Dropbear (Debian dropbear-bin) on a loopback address of its own. Its fixture users (name → password)
 * live in a passwd/shadow pair bind-mounted over /etc in a private mount namespace, so the host's users are
 * untouched. Callers check `requireBinaries` (dropbear, dropbearkey: dropbear-bin) and `requireRoot` first.
 */
export async function startDropbear(host: string, users: Record<string, string>): Promise<Dropbear> {
  const { dir, mountCommands } = fixtureUsersScript(users, 'jcstar-dropbear-');
  execFileSync('dropbearkey', ['-t', 'ecdsa', '-f', join(dir, 'hostkey')], { stdio: 'ignore' });
  const port = await freePort(host);
  const daemon = await startNamespacedDaemon(`${mountCommands} && exec dropbear -F -E -p ${host}:${port} -r ${dir}/hostkey -P ${dir}/pid`, host, port);
  return { ...daemon, host, port };
}
