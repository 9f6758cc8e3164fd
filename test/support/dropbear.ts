import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { listenPort, type Daemon, type ListenPlacement } from './daemons.js';
import { fixtureUsersScript, startNamespacedDaemon } from './fixture-users.js';

export interface Dropbear extends Daemon {
  host: string;
  port: number;
}

/** The host key dropbearkey generates for the fixture: ECDSA by default, or RSA of a given size (a legacy camera's 1024). */
export type DropbearHostKey = { type: 'ecdsa' } | { type: 'rsa'; bits: number };

/**
 * Real Dropbear (Debian dropbear-bin) on a loopback address of its own. Its fixture users (name → password)
 * live in a passwd/shadow pair bind-mounted over /etc in a private mount namespace, so the host's users are
 * untouched. Callers check `requireBinaries` (dropbear, dropbearkey: dropbear-bin) and `requireRoot` first.
 */
export async function startDropbear(host: string, users: Record<string, string>, placement: ListenPlacement & { hostKey?: DropbearHostKey } = {}): Promise<Dropbear> {
  const { dir, mountCommands } = fixtureUsersScript(users, 'jcstar-dropbear-');
  const key = placement.hostKey ?? { type: 'ecdsa' };
  execFileSync('dropbearkey', ['-t', key.type, ...(key.type === 'rsa' ? ['-s', String(key.bits)] : []), '-f', join(dir, 'hostkey')], { stdio: 'ignore' });
  const port = await listenPort(host, placement);
  const daemon = await startNamespacedDaemon(`${mountCommands} && exec dropbear -F -E -p ${host}:${port} -r ${dir}/hostkey -P ${dir}/pid`, host, port, { netns: placement.netns });
  return { ...daemon, host, port };
}
