import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listenPort, startDaemon, type Daemon, type ListenPlacement } from './daemons.js';
import { tempDir } from './run-profile.js';

export interface Mosquitto extends Daemon {
  host: string;
  port: number;
}

/**
 * Real Mosquitto (Debian mosquitto) on a loopback address of its own, anonymous or with a password file;
 * with `tls`, the listener is MQTT over TLS (as on 8883) with that certificate and key.
 * Callers check `requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto' })` first.
 */
export async function startMosquitto(
  host: string,
  users: Record<string, string> | 'anonymous',
  options: { tls?: { certFile: string; keyFile: string; extra?: string[] } } & ListenPlacement = {},
): Promise<Mosquitto> {
  const dir = tempDir('jcstar-mosquitto-');
  chmodSync(dir, 0o755);
  const port = await listenPort(host, options);
  const lines = [`listener ${port} ${host}`, 'log_dest stderr', 'log_type all', 'persistence false'];
  if (options.tls) {
    // Mosquitto drops to its own user before reading them: copies it may read.
    for (const [from, to] of [[options.tls.certFile, 'cert.pem'], [options.tls.keyFile, 'key.pem']] as const) {
      copyFileSync(from, join(dir, to));
      chmodSync(join(dir, to), 0o644);
    }
    lines.push(`certfile ${join(dir, 'cert.pem')}`, `keyfile ${join(dir, 'key.pem')}`, ...(options.tls.extra ?? []));
  }
  if (users === 'anonymous') {
    lines.push('allow_anonymous true');
  } else {
    const file = join(dir, 'passwords');
    for (const [user, password] of Object.entries(users)) {
      execFileSync('mosquitto_passwd', [...(Object.keys(users)[0] === user ? ['-c'] : []), '-b', file, user, password], { stdio: 'ignore' });
    }
    chmodSync(file, 0o644);
    lines.push('allow_anonymous false', `password_file ${file}`);
  }
  writeFileSync(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
  const daemon = await startDaemon('mosquitto', ['-c', join(dir, 'mosquitto.conf')], host, port, { netns: options.netns });
  return { ...daemon, host, port };
}
