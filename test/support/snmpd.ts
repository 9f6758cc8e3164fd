import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeSnmpMessage } from '../../harness/probes/snmp/message.js';
import { startDaemon, superviseDaemon, type Daemon } from './daemons.js';
import { tempDir } from './run-profile.js';

/** net-snmp's agent (Debian package snmpd); callers check requireBinaries for it first. */
export const SNMPD_BINARIES = { snmpd: 'snmpd' } as const;

/** A USM user as snmpd's createUser takes it (net-snmp's protocol names). */
export interface SnmpdUser {
  name: string;
  auth: 'MD5' | 'SHA' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  authPassword: string;
  priv?: 'DES' | 'AES';
  privPassword?: string;
}

export interface SnmpdOptions {
  host: string;
  /** Read-only v1/v2c communities; none: no community is answered. */
  communities?: string[];
  /** Read-only v3 users (createUser + rouser at their level). */
  users?: SnmpdUser[];
  /** A fixed port inside a network namespace (a reference device), instead of a free loopback port. */
  placement?: { netns: string; port: number };
  /** sysDescr.0, as a device describes itself (net-snmp's default names the host's kernel). */
  sysDescr?: string;
}

export interface Snmpd extends Daemon {
  host: string;
  port: number;
}

/**
 * Real net-snmp snmpd in the foreground on host:port/udp, with only the given configuration (-C: no
 * system files) and a persistent directory of its own, so that engine boots and users start fresh and
 * the host's /var/lib/snmp stays untouched.
 */
export async function startSnmpd(options: SnmpdOptions): Promise<Snmpd> {
  const dir = tempDir('jcstar-snmpd-');
  const persistent = join(dir, 'persist');
  mkdirSync(persistent);
  const lines = [
    ...(options.sysDescr ? [`sysdescr ${options.sysDescr}`] : []),
    ...(options.communities ?? []).map((c) => `rocommunity ${c} default`),
    ...(options.users ?? []).flatMap((u) => [
      `createUser ${u.name} ${u.auth} "${u.authPassword}"${u.priv ? ` ${u.priv} "${u.privPassword}"` : ''}`,
      `rouser ${u.name} ${u.priv ? 'priv' : 'auth'}`,
    ]),
  ];
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`, { mode: 0o600 });
  // Without `-I -smux` the agent also listens on 0.0.0.0:199/tcp (SMUX), a port a device's inventory would find.
  const args = (port: number) => ['-f', '-Lo', '-C', '-c', conf, '-M', '/dev/null', '-I', '-smux', `--persistentDir=${persistent}`, `udp:${options.host}:${port}`];
  if (options.placement) {
    // In a namespace the agent is only reachable from inside it: readiness is its socket, as `ss` there shows it.
    const { netns, port } = options.placement;
    const daemon = await startDaemon('snmpd', args(port), options.host, port, { netns, transport: 'udp' });
    return { ...daemon, host: options.host, port };
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort(options.host);
    const child = spawn('snmpd', args(port), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIBS: '' } });
    const daemon: Snmpd = { ...superviseDaemon(child), host: options.host, port };
    if (await untilDiscoveryAnswered(options.host, port, () => child.exitCode !== null)) return daemon;
    await daemon.stop();
    // Another process may have taken the port between the probe and the bind: try another one.
    const output = daemon.log();
    if (!/Error opening specified endpoint|Address already in use/.test(output)) throw new Error(`snmpd did not answer on ${options.host}:${port}/udp within 5 s: ${output}`);
  }
  throw new Error(`snmpd could not bind a free UDP port on ${options.host} in 5 tries`);
}

function freeUdpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** SNMPv3 engine discovery, which every snmpd answers with a Report whatever its users and communities. */
const DISCOVERY = encodeSnmpMessage({
  version: 'v3',
  messageId: 1,
  maxSize: 65507,
  flags: 0x04,
  securityModel: 3,
  usm: { engineId: Buffer.alloc(0), engineBoots: 0, engineTime: 0, userName: '' },
  contextEngineId: Buffer.alloc(0),
  contextName: '',
  pdu: { type: 'get-request', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [] },
});

/** Sends discovery until it is answered, bounded to 5 s: UDP has no connection to wait for. */
async function untilDiscoveryAnswered(host: string, port: number, exited: () => boolean): Promise<boolean> {
  const socket = createSocket('udp4');
  let answered = false;
  socket.on('message', () => (answered = true));
  socket.on('error', () => {});
  try {
    for (let i = 0; i < 50 && !answered && !exited(); i++) {
      socket.send(DISCOVERY, port, host);
      await sleep(100);
    }
  } finally {
    socket.close();
  }
  return answered;
}
