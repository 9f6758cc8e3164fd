import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'mqtt';
import { expect } from 'chai';
import { readFirmwareVersion } from '../../harness/probes/firmware-version/read.js';
import { checkContext, type TestCheckContext } from '../support/check-context.js';
import { COAP_SERVER_BINARIES, startCoapServer, type CoapServer } from '../support/coap-server.js';
import { requireBinaries } from '../support/daemons.js';
import { FakePskServer } from '../support/dtls-psk-server.js';
import { startMosquitto, type Mosquitto } from '../support/mosquitto.js';
import { startOpenSsh, type OpenSsh } from '../support/openssh.js';
import { DEVICE, tempDir } from '../support/run-profile.js';
import { SNMPD_BINARIES, startSnmpd, type Snmpd } from '../support/snmpd.js';

/**
 * The firmware version read over SSH, SNMP, MQTT and CoAP(S) with the declared credential, against real
 * OpenSSH, net-snmp snmpd, Mosquitto and libcoap coap-server, and the in-process DTLS-PSK server: each
 * read once as it should work and once where it cannot, with the reason.
 */

const SECRET = `s-${randomBytes(9).toString('base64url')}`;
const QUIET = { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 1500 } };
const DEBIAN_VERSION = readFileSync('/etc/debian_version', 'utf8').trim();

function document(host: string, service: Record<string, unknown>, credential: Record<string, unknown>) {
  return { device: DEVICE, target: { host }, scope: [`${host}/32`], services: [{ name: 'svc', credential: 'cred', ...service }], credentials: { cred: credential }, policy: QUIET };
}

function expectNoSecret(ctx: TestCheckContext): void {
  expect(JSON.stringify(ctx.recorded)).to.not.contain(SECRET);
}

describe('firmware version over SSH (real OpenSSH)', function () {
  this.timeout(30000);
  let sshd: OpenSsh | undefined;
  const keys = tempDir('jcstar-version-keys-');
  before(async function () {
    requireBinaries(this, { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client' });
    for (const name of ['maint', 'stranger']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(keys, name)]);
    copyFileSync(join(keys, 'maint.pub'), join(keys, 'authorized-maint'));
    // sshd reads authorized keys as the user.
    chmodSync(keys, 0o755);
    chmodSync(join(keys, 'authorized-maint'), 0o644);
    sshd = await startOpenSsh('127.0.171.11', { operator: SECRET, maint: randomBytes(12).toString('hex') }, `AuthorizedKeysFile ${keys}/authorized-%u\nStrictModes no`);
  });
  after(async () => sshd?.stop());

  it('runs the declared command with the password and takes its trimmed stdout', async () => {
    const ctx = await checkContext(document(sshd!.host, { protocol: 'ssh', port: sshd!.port, auth: 'password' }, { username: 'operator', password: '${env:SECRET}' }), [], { SECRET });
    const reading = await readFirmwareVersion(ctx, { ssh: { service: 'svc', command: 'cat /etc/debian_version' } });
    expect(reading).to.deep.include({ ok: true, version: DEBIAN_VERSION, method: `ssh operator@127.0.171.11:${sshd!.port} 'cat /etc/debian_version'` });
    expect(ctx.recorded[0]!.data).to.deep.include({ channel: 'ssh', ok: true, version: DEBIAN_VERSION, exitCode: 0 });
    expect(ctx.recorded[0]!.sent).to.match(/^SSH login as "operator" with \[REDACTED:[^\]]+\], then exec: cat \/etc\/debian_version$/);
    expectNoSecret(ctx);
  });

  it('logs in with the declared private key, and says the login was refused with a key the server does not know', async () => {
    const doc = document(sshd!.host, { protocol: 'ssh', port: sshd!.port, auth: 'publickey' }, { username: 'maint', key: '${env:SSH_KEY}' });
    const ctx = await checkContext(doc, [], { SSH_KEY: readFileSync(join(keys, 'maint'), 'utf8') });
    expect(await readFirmwareVersion(ctx, { ssh: { service: 'svc', command: 'cat /etc/debian_version' } })).to.deep.include({ ok: true, version: DEBIAN_VERSION });
    expect(ctx.recorded[0]!.sent).to.match(/^SSH login as "maint" with the key \[REDACTED:[^\]]+\], then exec: cat \/etc\/debian_version$/);
    expect(JSON.stringify(ctx.recorded)).to.not.contain('OPENSSH PRIVATE KEY');
    const stranger = await checkContext(doc, [], { SSH_KEY: readFileSync(join(keys, 'stranger'), 'utf8') });
    expect(await readFirmwareVersion(stranger, { ssh: { service: 'svc', command: 'cat /etc/debian_version' } })).to.deep.include({ ok: false, reason: `ssh 'cat /etc/debian_version': login refused for maint` });
  });

  it('takes a pattern\'s group from the output', async () => {
    const ctx = await checkContext(document(sshd!.host, { protocol: 'ssh', port: sshd!.port, auth: 'password' }, { username: 'operator', password: '${env:SECRET}' }), [], { SECRET });
    const reading = await readFirmwareVersion(ctx, { ssh: { service: 'svc', command: 'echo "fw=9.8.7 (stable)"', pattern: 'fw=(\\S+)' } });
    expect(reading).to.deep.include({ ok: true, version: '9.8.7' });
  });

  it('says the login was refused when the declared password no longer works, and why a failing command read nothing', async () => {
    const stale = await checkContext(document(sshd!.host, { protocol: 'ssh', port: sshd!.port, auth: 'password' }, { username: 'operator', password: '${env:SECRET}' }), [], { SECRET: 'expired-password' });
    expect(await readFirmwareVersion(stale, { ssh: { service: 'svc', command: 'cat /etc/debian_version' } })).to.deep.include({ ok: false, reason: `ssh 'cat /etc/debian_version': login refused for operator` });
    const ctx = await checkContext(document(sshd!.host, { protocol: 'ssh', port: sshd!.port, auth: 'password' }, { username: 'operator', password: '${env:SECRET}' }), [], { SECRET });
    expect(await readFirmwareVersion(ctx, { ssh: { service: 'svc', command: 'cat /etc/jcstar-no-such-file' } })).to.deep.include({
      ok: false,
      reason: `ssh 'cat /etc/jcstar-no-such-file' exited 1: cat: /etc/jcstar-no-such-file: No such file or directory`,
    });
  });
});

describe('firmware version over SNMP (real net-snmp snmpd)', function () {
  this.timeout(30000);
  let agent: Snmpd | undefined;
  before(function () {
    requireBinaries(this, SNMPD_BINARIES);
  });
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
  });

  it('reads sysDescr.0 with the declared v2c community and a pattern', async () => {
    agent = await startSnmpd({ host: '127.0.171.21', communities: [SECRET], sysDescr: 'ACME IPC-200 firmware 3.1.4 (build 2211)' });
    const ctx = await checkContext(document(agent.host, { protocol: 'snmp', port: agent.port, auth: 'community' }, { password: '${env:SECRET}' }), [], { SECRET });
    const reading = await readFirmwareVersion(ctx, { snmp: { service: 'svc', oid: '1.3.6.1.2.1.1.1.0', pattern: 'firmware (\\S+)' } });
    expect(reading).to.deep.include({ ok: true, version: '3.1.4', method: `SNMPv2c GET 1.3.6.1.2.1.1.1.0 at 127.0.171.21:${agent.port} ~ /firmware (\\S+)/` });
    expect(ctx.recorded[0]!.received).to.match(/GetResponse .* 1\.3\.6\.1\.2\.1\.1\.1\.0 = OCTET STRING "ACME IPC-200 firmware 3\.1\.4 \(build 2211\)"/);
    expectNoSecret(ctx);
  });

  it('reads with an SNMPv3 authPriv user, and says why a pattern matched nothing', async () => {
    agent = await startSnmpd({ host: '127.0.171.22', users: [{ name: 'ops', auth: 'SHA-256', authPassword: SECRET, priv: 'AES', privPassword: SECRET }], sysDescr: 'ACME IPC-200 firmware 3.1.4' });
    const credential = { snmpv3: { user: 'ops', authProtocol: 'sha256', authPassword: '${env:SECRET}', privProtocol: 'aes', privPassword: '${env:SECRET}' } };
    const ctx = await checkContext(document(agent.host, { protocol: 'snmp', port: agent.port, auth: 'usm' }, credential), [], { SECRET });
    expect(await readFirmwareVersion(ctx, { snmp: { service: 'svc', oid: '1.3.6.1.2.1.1.1.0' } })).to.deep.include({ ok: true, version: 'ACME IPC-200 firmware 3.1.4', method: `SNMPv3 GET 1.3.6.1.2.1.1.1.0 as "ops" at 127.0.171.22:${agent.port}` });
    expect(await readFirmwareVersion(ctx, { snmp: { service: 'svc', oid: '1.3.6.1.2.1.1.1.0', pattern: 'version (\\d+)' } })).to.deep.include({ ok: false, reason: `pattern version (\\d+) matched nothing in 'ACME IPC-200 firmware 3.1.4'` });
    expectNoSecret(ctx);
  });

  it('says the agent answered neither version when the declared community is not its own', async () => {
    agent = await startSnmpd({ host: '127.0.171.23', communities: ['other-community'] });
    const ctx = await checkContext(document(agent.host, { protocol: 'snmp', port: agent.port, auth: 'community' }, { password: '${env:SECRET}' }), [], { SECRET });
    const reading = await readFirmwareVersion(ctx, { snmp: { service: 'svc', oid: '1.3.6.1.2.1.1.1.0' } });
    expect(reading).to.deep.include({ ok: false, reason: 'GET 1.3.6.1.2.1.1.1.0 with the declared community over SNMPv2c and SNMPv1: no SNMP answer within 1500 ms (3 datagram(s) sent)' });
  });
});

describe('firmware version over MQTT (real Mosquitto)', function () {
  this.timeout(30000);
  let broker: Mosquitto | undefined;
  before(async function () {
    requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto' });
    broker = await startMosquitto('127.0.171.31', { device: SECRET });
    // The device publishes its version retained, as firmware does at boot.
    const publisher = connect(`mqtt://127.0.171.31:${broker.port}`, { username: 'device', password: SECRET, reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => {
      publisher.on('error', reject);
      publisher.on('connect', () => publisher.publish('acme/cam/firmware', JSON.stringify({ version: '4.0.1', built: '2026-01-01' }), { retain: true, qos: 1 }, (err) => (err ? reject(err) : resolve())));
    });
    await publisher.endAsync();
  });
  after(async () => broker?.stop());

  it('takes the retained message on the topic, read at a JSON pointer', async () => {
    const ctx = await checkContext(document(broker!.host, { protocol: 'mqtt', port: broker!.port, auth: 'password' }, { username: 'device', password: '${env:SECRET}' }), [], { SECRET });
    const reading = await readFirmwareVersion(ctx, { mqtt: { service: 'svc', topic: 'acme/cam/firmware', jsonPointer: '/version' } });
    expect(reading).to.deep.include({ ok: true, version: '4.0.1', method: `MQTT SUBSCRIBE acme/cam/firmware at mqtt://127.0.171.31:${broker!.port} /version` });
    expect(ctx.recorded[0]!.received).to.match(/^CONNACK code=0 \(accepted\)\nSUBACK acme\/cam\/firmware granted QoS 0\nPUBLISH acme\/cam\/firmware \(retained\) \d+ bytes /);
    expect(ctx.recorded[0]!.sent).to.match(/username=device password=\[REDACTED:[^\]]+\]/);
    expectNoSecret(ctx);
  });

  it('says no message came within the budget on a topic nothing is retained on', async () => {
    const ctx = await checkContext(document(broker!.host, { protocol: 'mqtt', port: broker!.port, auth: 'password' }, { username: 'device', password: '${env:SECRET}' }), [], { SECRET });
    const reading = await readFirmwareVersion(ctx, { mqtt: { service: 'svc', topic: 'acme/cam/nothing-here' } });
    expect(reading).to.deep.include({ ok: false, reason: `MQTT SUBSCRIBE acme/cam/nothing-here at mqtt://127.0.171.31:${broker!.port}: no message on the topic within 1500 ms` });
  });

  it('says the broker refused the declared credential', async () => {
    const ctx = await checkContext(document(broker!.host, { protocol: 'mqtt', port: broker!.port, auth: 'password' }, { username: 'device', password: '${env:SECRET}' }), [], { SECRET: 'expired-password' });
    const reading = await readFirmwareVersion(ctx, { mqtt: { service: 'svc', topic: 'acme/cam/firmware' } });
    expect(reading).to.deep.include({ ok: false, reason: 'the broker refused the declared credential: CONNACK 5 (not authorized)' });
  });
});

describe('firmware version over CoAP (real libcoap coap-server) and CoAPS with a PSK (in-process DTLS server)', function () {
  this.timeout(30000);
  let coap: CoapServer | undefined;
  let psk: FakePskServer | undefined;
  before(async function () {
    requireBinaries(this, COAP_SERVER_BINARIES);
    coap = await startCoapServer({ host: '127.0.171.41', security: 'none' });
  });
  after(async () => {
    await coap?.stop();
    psk?.close();
  });

  it('reads a resource with a pattern over plain CoAP, and says why a missing one read nothing', async () => {
    const ctx = await checkContext(document(coap!.host, { protocol: 'coap', port: coap!.port, auth: 'none' }, {}));
    expect(await readFirmwareVersion(ctx, { coap: { service: 'svc', resource: '/', pattern: 'libcoap \\(see (\\S+)\\)' } })).to.deep.include({ ok: true, version: 'https://libcoap.net', method: `GET coap://127.0.171.41:${coap!.port}/ ~ /libcoap \\(see (\\S+)\\)/` });
    expect(await readFirmwareVersion(ctx, { coap: { service: 'svc', resource: '/firmware/version' } })).to.deep.include({ ok: false, reason: 'GET /firmware/version answered 4.04' });
  });

  it('reads over CoAPS with the declared pre-shared key, and says why a wrong key read nothing', async () => {
    const key = Buffer.from(SECRET);
    psk = await FakePskServer.start({ host: '127.0.171.42', key, coapPayload: 'fw 1.2.3' });
    const doc = document('127.0.171.42', { protocol: 'coaps', port: psk.port, auth: 'psk' }, { psk: { identity: 'cam-1', key: '${env:SECRET}' } });
    const ctx = await checkContext(doc, [], { SECRET });
    expect(await readFirmwareVersion(ctx, { coap: { service: 'svc', resource: '/fw', pattern: 'fw (\\S+)' } })).to.deep.include({ ok: true, version: '1.2.3', method: `GET coaps://127.0.171.42:${psk.port}/fw ~ /fw (\\S+)/` });
    expectNoSecret(ctx);
    const wrong = await checkContext(doc, [], { SECRET: 'a-key-the-server-does-not-have' });
    const reading = await readFirmwareVersion(wrong, { coap: { service: 'svc', resource: '/fw' } });
    expect(reading.ok).to.equal(false);
    expect(reading).to.have.property('reason').that.matches(/^DTLS-PSK handshake as "cam-1": refused: /);
  });
});
