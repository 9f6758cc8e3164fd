import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemons.js';
import { tempDir } from './run-profile.js';

/** An SNMPv3 USM user: net-snmp's createUser with these protocols and passphrases, granted read access at authPriv. */
export interface SnmpUser {
  user: string;
  authProtocol: 'MD5' | 'SHA' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  authPassword: string;
  privProtocol: 'DES' | 'AES';
  privPassword: string;
}

export interface Snmpd extends Daemon {
  host: string;
  port: number;
}

/**
 * Debian's net-snmp snmpd in the foreground (Debian snmpd), configured by `access` only (-C: no system config):
 * v1/v2c read communities, SNMPv3 users, or both. It needs a fixed UDP port in a network namespace
 * (`netns`: readiness is its socket shown by `ss`), because a UDP agent has no connection to wait for.
 * Callers check `requireBinaries(this, { snmpd: 'snmpd' })` first.
 */
export async function startSnmpd(
  host: string,
  access: { communities?: string[]; users?: SnmpUser[] },
  placement: { netns: string; port: number },
): Promise<Snmpd> {
  const dir = tempDir('jcstar-snmpd-');
  const persistent = join(dir, 'persistent');
  mkdirSync(persistent);
  const lines = [
    `agentAddress udp:${host}:${placement.port}`,
    'sysDescr jcstar reference device',
    ...(access.communities ?? []).map((community) => `rocommunity ${community} default`),
    ...(access.users ?? []).flatMap((u) => [`createUser ${u.user} ${u.authProtocol} "${u.authPassword}" ${u.privProtocol} "${u.privPassword}"`, `rouser ${u.user} priv`]),
  ];
  writeFileSync(join(dir, 'snmpd.conf'), `${lines.join('\n')}\n`, { mode: 0o600 });
  // The persistent directory is where snmpd keeps the localized USM keys it derives; the host's /var/lib/snmp stays untouched.
  const daemon = await startDaemon(
    'snmpd',
    ['-f', '-Lo', '-C', '-c', join(dir, 'snmpd.conf'), '-p', join(dir, 'snmpd.pid'), '-M', '/dev/null', `--persistentDir=${persistent}`],
    host,
    placement.port,
    { netns: placement.netns, transport: 'udp' },
  );
  return { ...daemon, host, port: placement.port };
}
