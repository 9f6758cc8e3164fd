import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import type { Snmpv3User } from '../../harness/profile/types.js';
import { probeSnmpEngineDiscovery } from '../../harness/probes/snmp/engine-discovery.js';
import { AUTH_FLAG, decodeSnmpDatagram, encodeV3 } from '../../harness/probes/snmp/message.js';
import { localizeKey, passwordToKey } from '../../harness/probes/snmp/usm-keys.js';
import { probeSnmpv3Get, type SnmpEngine } from '../../harness/probes/snmp/v3-get.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { requireBinaries } from '../support/daemons.js';
import { tempDir } from '../support/run-profile.js';
import { SNMPD_BINARIES, startSnmpd, type Snmpd, type SnmpdUser } from '../support/snmpd.js';

/** SNMPv3 USM: key localisation against RFC 3414's vectors, then every protocol against real net-snmp snmpd on 127.0.97.8x. */

describe('USM key localisation (RFC 3414 A.3)', () => {
  const engineId = Buffer.from('000000000000000000000002', 'hex');
  it('MD5: "maplesyrup" localises to RFC 3414 A.3.1\'s key', () => {
    expect(passwordToKey('maplesyrup', 'md5').toString('hex')).to.equal('9faf3283884e92834ebc9847d8edd963');
    expect(localizeKey(passwordToKey('maplesyrup', 'md5'), engineId, 'md5').toString('hex')).to.equal('526f5eed9fcce26f8964c2930787d82b');
  });
  it('SHA: "maplesyrup" localises to RFC 3414 A.3.2\'s key', () => {
    expect(passwordToKey('maplesyrup', 'sha').toString('hex')).to.equal('9fb5cc0381497b3793528939ff788d5d79145211');
    expect(localizeKey(passwordToKey('maplesyrup', 'sha'), engineId, 'sha').toString('hex')).to.equal('6695febc9288e36282235fc7151f128497b38f3f');
  });
});

const HOST = '127.0.97.81';
const USERS: SnmpdUser[] = [
  { name: 'u-md5-des', auth: 'MD5', authPassword: 'md5-auth-pass', priv: 'DES', privPassword: 'md5-priv-pass' },
  { name: 'u-sha-aes', auth: 'SHA', authPassword: 'sha-auth-pass', priv: 'AES', privPassword: 'sha-priv-pass' },
  { name: 'u-sha224-aes', auth: 'SHA-224', authPassword: 'sha224-auth-pass', priv: 'AES', privPassword: 'sha224-priv-pass' },
  { name: 'u-sha256-aes', auth: 'SHA-256', authPassword: 'sha256-auth-pass', priv: 'AES', privPassword: 'sha256-priv-pass' },
  { name: 'u-sha384-des', auth: 'SHA-384', authPassword: 'sha384-auth-pass', priv: 'DES', privPassword: 'sha384-priv-pass' },
  { name: 'u-sha512-aes', auth: 'SHA-512', authPassword: 'sha512-auth-pass', priv: 'AES', privPassword: 'sha512-priv-pass' },
  { name: 'u-sha256-auth', auth: 'SHA-256', authPassword: 'sha256-only-pass' },
];

function userOf(u: SnmpdUser, override: { authPassword?: string; privPassword?: string } = {}): Snmpv3User {
  return {
    user: u.name,
    authProtocol: u.auth.toLowerCase().replace('-', '') as Snmpv3User['authProtocol'],
    authPassword: new Secret(override.authPassword ?? u.authPassword, `${u.name}-auth`),
    ...(u.priv ? { privacy: { protocol: u.priv.toLowerCase() as 'des' | 'aes', password: new Secret(override.privPassword ?? u.privPassword!, `${u.name}-priv`) } } : {}),
  };
}

describe('probeSnmpv3Get against real net-snmp snmpd', function () {
  this.timeout(60000);
  let agent: Snmpd;
  let engine: SnmpEngine;
  const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
  const target = () => ({ host: HOST, port: agent.port, signal: new AbortController().signal, timeoutMs: 1500 });

  before(async function () {
    requireBinaries(this, { ...SNMPD_BINARIES, snmpget: 'snmp' });
    agent = await startSnmpd({ host: HOST, users: USERS });
    const discovery = await probeSnmpEngineDiscovery(net, target());
    expect(discovery.engine, discovery.detail).to.not.equal(null);
    engine = discovery.engine!;
  });
  after(async () => agent?.stop());

  for (const u of USERS) {
    it(`reads sysDescr.0 as ${u.name} (${u.auth}${u.priv ? `/${u.priv}` : ', authNoPriv'})`, async () => {
      const reply = await probeSnmpv3Get(net, { ...target(), engine, user: userOf(u) });
      expect(reply.outcome, reply.detail).to.equal('answered');
      expect(reply.securityLevel).to.equal(u.priv ? 'authPriv' : 'authNoPriv');
      expect(reply.pdu?.varbinds[0]?.value.type).to.equal('octet-string');
      expect(reply.received).to.match(u.priv ? /GetResponse .* \(decrypted\) \(tag verified\)$/ : /GetResponse .* \(tag verified\)$/);
      expect(reply.sent).to.not.contain(u.authPassword);
    });
  }

  it('reads what net-snmp\'s own snmpget -v3 reads, for every user (the oracle)', async () => {
    for (const u of USERS) {
      const level = u.priv ? ['-l', 'authPriv', '-x', u.priv, '-X', u.privPassword!] : ['-l', 'authNoPriv'];
      const args = ['-v3', '-u', u.name, '-a', u.auth, '-A', u.authPassword, ...level, '-r', '0', '-t', '2', '-Ov', '-Oq', `${HOST}:${agent.port}`, '1.3.6.1.2.1.1.1.0'];
      const env = { ...process.env, SNMP_PERSISTENT_DIR: tempDir('jcstar-snmpget-'), MIBS: '' };
      const { stdout } = await promisify(execFile)('snmpget', args, { env });
      const reply = await probeSnmpv3Get(net, { ...target(), engine, user: userOf(u) });
      const value = reply.pdu?.varbinds[0]?.value;
      expect(value?.type === 'octet-string' && value.bytes.toString('utf8'), u.name).to.equal(stdout.trim().replace(/^"|"$/g, ''));
    }
  });

  it('is refused with usmStatsWrongDigests for a wrong authentication passphrase', async () => {
    const reply = await probeSnmpv3Get(net, { ...target(), engine, user: userOf(USERS[3]!, { authPassword: 'not-the-auth-pass' }) });
    expect(reply).to.deep.include({ outcome: 'report', counter: 'wrongDigests', detail: 'Report usmStatsWrongDigests' });
  });

  it('is refused with usmStatsUnknownUserNames for a user the agent does not have', async () => {
    const reply = await probeSnmpv3Get(net, { ...target(), engine, user: { user: 'jcstar-unknown-7f3a' } });
    expect(reply).to.deep.include({ outcome: 'report', counter: 'unknownUserNames', securityLevel: 'noAuthNoPriv', detail: 'Report usmStatsUnknownUserNames' });
  });

  it('is refused with usmStatsUnsupportedSecLevels when an authNoPriv user asks for privacy', async () => {
    const authOnly = USERS.at(-1)!;
    const user = { ...userOf(authOnly), privacy: { protocol: 'aes' as const, password: new Secret('whatever-priv', 'p') } };
    const reply = await probeSnmpv3Get(net, { ...target(), engine, user });
    expect(reply).to.deep.include({ outcome: 'report', counter: 'unsupportedSecLevels' });
  });

  it('gets silence for a wrong privacy passphrase: net-snmp drops a scoped PDU it cannot parse', async () => {
    const reply = await probeSnmpv3Get(net, { ...target(), engine, user: userOf(USERS[3]!, { privPassword: 'not-the-priv-pass' }) });
    expect(reply).to.deep.include({ outcome: 'no-answer', pdu: null, counter: null, detail: 'no SNMP answer within 1500 ms (3 datagram(s) sent)' });
  });

  it('resynchronises once on usmStatsNotInTimeWindows, as RFC 3414 §4 describes', async () => {
    const stale = { ...engine, engineBoots: engine.engineBoots + 1, engineTime: 0 };
    const reply = await probeSnmpv3Get(net, { ...target(), engine: stale, user: userOf(USERS[3]!) });
    expect(reply).to.deep.include({ outcome: 'answered', resynchronised: true });
  });
});

type Hostility = 'wrong-tag' | 'plaintext-response' | 'junk-flood';

/** An agent that answers every request with something jcstar must not accept, on 127.0.97.82. */
async function startHostileAgent(hostility: Hostility): Promise<{ port: number; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (datagram: Buffer, from: RemoteInfo) => {
    if (hostility === 'junk-flood') {
      for (let i = 0; i < 200; i++) socket.send(randomBytes(64), from.port, from.address);
      return;
    }
    const request = decodeSnmpDatagram(datagram);
    if (request.version !== 'v3') return;
    const pdu = { type: 'get-response' as const, requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value: { type: 'octet-string' as const, bytes: Buffer.from('forged') } }] };
    const usm = { ...request.usm, ...(hostility === 'wrong-tag' ? { authParameters: randomBytes(24) } : {}), privacyParameters: undefined };
    const flags = hostility === 'wrong-tag' ? AUTH_FLAG : 0;
    socket.send(encodeV3({ ...request, flags, usm }, { contextEngineId: request.usm.engineId, contextName: '', pdu }), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.97.82', resolve));
  return { port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

describe('probeSnmpv3Get against hostile agents', function () {
  this.timeout(20000);
  const net = new GuardedNetwork(new ScopeGuard(['127.0.97.82/32']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
  const engine: SnmpEngine = { engineId: Buffer.from('80001f8880aabbccdd', 'hex'), engineBoots: 1, engineTime: 10, readAt: Date.now() };
  const user = userOf(USERS[3]!);

  async function against(hostility: Hostility) {
    const agent = await startHostileAgent(hostility);
    try {
      return await probeSnmpv3Get(net, { host: '127.0.97.82', port: agent.port, signal: new AbortController().signal, timeoutMs: 800, engine, user });
    } finally {
      await agent.close();
    }
  }

  it('calls a GetResponse whose tag does not verify garbage, not an answer', async () => {
    const reply = await against('wrong-tag');
    expect(reply).to.deep.include({ outcome: 'garbage', pdu: null, detail: 'a reply whose authentication tag does not verify with the user\'s key' });
  });

  it('calls a plaintext, unauthenticated GetResponse to an authPriv request garbage', async () => {
    const reply = await against('plaintext-response');
    expect(reply).to.deep.include({ outcome: 'garbage', detail: 'a GetResponse without authentication to an authenticated request' });
    expect(reply.received).to.contain('OCTET STRING "forged"');
  });

  it('keeps at most 32 notes of a flood of unreadable datagrams, and calls it garbage', async () => {
    const reply = await against('junk-flood');
    expect(reply.outcome).to.equal('garbage');
    expect(reply.ignored).to.have.length(32);
    expect(reply.detail).to.match(/^no reply it could read within 800 ms; 32 datagram\(s\) it could not: 64 bytes: /);
  });
});
