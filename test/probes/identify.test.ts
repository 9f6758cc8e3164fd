import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { ServiceIdentity } from '../../harness/inventory/types.js';
import { GuardedNetwork } from '../../harness/net/network.js';
import { loadDefaultPolicy } from '../../harness/policy/load.js';
import { identificationSettings, identifyTcpServices } from '../../harness/probes/identify/identify.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { startBusyboxLogin, startBusyboxShell, requireBusyboxApplets } from '../support/busybox-telnetd.js';
import { testCertificates } from '../support/certificates.js';
import { COAP_SERVER_BINARIES, startCoapServer } from '../support/coap-server.js';
import { freePort, requireBinaries, requireRoot, type Daemon } from '../support/daemons.js';
import { startDropbear } from '../support/dropbear.js';
import { startAdbDevice, startGdbStub, startHostile, startOnvifCamera, startRtspCamera, startUpnpDevice, UPNP_MODEL, type Fake } from '../support/identify-fakes.js';
import { startMosquitto } from '../support/mosquitto.js';
import { startNginx } from '../support/nginx.js';
import { startOpenSsh } from '../support/openssh.js';
import { htpasswdLine } from '../support/reference/secrets.js';
import { tempDir } from '../support/run-profile.js';
import { startVsftpd } from '../support/vsftpd.js';

const SETTINGS = { concurrency: 8, perPortBudgetMs: 5000, replyTimeoutMs: 1500 };
/** Time past the budget a port may take: sockets closing, the event loop turning. */
const SLACK_MS = 400;

function loopbackNetwork(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.119.0/24']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
}

async function identify(host: string, port: number, settings = SETTINGS): Promise<ServiceIdentity> {
  const [identity] = await identifyTcpServices(loopbackNetwork(), host, [port], { signal: new AbortController().signal, ...settings });
  return identity!;
}

/** The fields every fixture asserts exactly. */
function named(i: ServiceIdentity): Pick<ServiceIdentity, 'service' | 'protocol' | 'tls' | 'auth'> {
  return { service: i.service, protocol: i.protocol, tls: i.tls, auth: i.auth };
}

describe('service identification', function () {
  this.timeout(60_000);

  it('takes its numbers from the policy', () => {
    expect(identificationSettings(loadDefaultPolicy())).to.deep.equal({ concurrency: 8, perPortBudgetMs: 5000, replyTimeoutMs: 1500 });
  });

  describe('real Debian daemons', () => {
    const stops: Daemon[] = [];
    after(async () => Promise.all(stops.splice(0).map((d) => d.stop())));

    it('OpenSSH with passwords: ssh, password, the methods it offers', async function () {
      requireBinaries(this, { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client' });
      requireRoot(this, 'sshd runs in a mount namespace with fixture users');
      const sshd = await startOpenSsh('127.0.119.1', { camera: 'x' });
      stops.push(sshd);
      const id = await identify(sshd.host, sshd.port);
      expect(named(id)).to.deep.equal({ service: 'ssh', protocol: 'ssh', tls: false, auth: 'password' });
      expect(id.product).to.match(/^OpenSSH_\d/);
      expect(id.details['ssh.methods']).to.equal('publickey,password');
      expect(id.banner).to.match(/^SSH-2\.0-OpenSSH_/);
    });

    it('OpenSSH with keys only: publickey', async function () {
      requireBinaries(this, { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client' });
      requireRoot(this, 'sshd runs in a mount namespace with fixture users');
      const sshd = await startOpenSsh('127.0.119.2', { camera: 'x' }, '', { passwordAuthentication: false });
      stops.push(sshd);
      const id = await identify(sshd.host, sshd.port);
      expect(named(id)).to.deep.equal({ service: 'ssh', protocol: 'ssh', tls: false, auth: 'publickey' });
      expect(id.details['ssh.methods']).to.equal('publickey');
    });

    it('Dropbear: ssh, password, product dropbear', async function () {
      requireBinaries(this, { dropbear: 'dropbear-bin', dropbearkey: 'dropbear-bin' });
      requireRoot(this, 'dropbear runs in a mount namespace with fixture users');
      const dropbear = await startDropbear('127.0.119.3', { root: '12345' });
      stops.push(dropbear);
      const id = await identify(dropbear.host, dropbear.port);
      expect(named(id)).to.deep.equal({ service: 'ssh', protocol: 'ssh', tls: false, auth: 'password' });
      expect(id.product).to.match(/^dropbear/);
    });

    it('vsftpd: ftp, password, product vsFTPd', async function () {
      requireBinaries(this, { vsftpd: 'vsftpd' });
      requireRoot(this, 'vsftpd runs in a mount namespace with fixture users');
      const vsftpd = await startVsftpd('127.0.119.4', { camera: 'x' });
      stops.push(vsftpd);
      const id = await identify(vsftpd.host, vsftpd.port);
      expect(named(id)).to.deep.equal({ service: 'ftp', protocol: 'ftp', tls: false, auth: 'password' });
      expect(id.product).to.match(/^vsFTPd \d/);
    });

    it('BusyBox telnetd with login: telnet, password (a login prompt)', async function () {
      requireBusyboxApplets(this);
      requireRoot(this, 'telnetd runs in a mount namespace with fixture users');
      const telnetd = await startBusyboxLogin('127.0.119.5', { root: 'xc3511' });
      stops.push(telnetd);
      const id = await identify(telnetd.host, telnetd.port);
      expect(named(id)).to.deep.equal({ service: 'telnet', protocol: 'telnet', tls: false, auth: 'password' });
      expect(id.details['telnet.shown']).to.equal('a login prompt');
    });

    it('BusyBox telnetd with a shell: telnet, none (a shell prompt)', async function () {
      requireBusyboxApplets(this);
      requireRoot(this, 'telnetd runs in a mount namespace');
      const telnetd = await startBusyboxShell('127.0.119.6');
      stops.push(telnetd);
      const id = await identify(telnetd.host, telnetd.port);
      expect(named(id)).to.deep.equal({ service: 'telnet', protocol: 'telnet', tls: false, auth: 'none' });
      expect(id.details['telnet.shown']).to.equal('a shell prompt, with no login');
    });

    it('nginx: http, none on an open /, basic behind auth_basic, https over TLS', async function () {
      requireBinaries(this, { nginx: 'nginx', openssl: 'openssl' });
      const certificates = await testCertificates();
      const htpasswd = join(tempDir('jcstar-identify-htpasswd-'), 'htpasswd');
      writeFileSync(htpasswd, htpasswdLine('admin', 'x'));
      const open = await startNginx('127.0.119.7', '', 'location / { return 200 "<html><title>カメラ Admin</title></html>"; }');
      const basic = await startNginx('127.0.119.7', '', `location / { auth_basic "camera"; auth_basic_user_file ${htpasswd}; }`);
      const secure = await startNginx('127.0.119.7', '', `ssl_certificate ${certificates.leaf.chainFile};\n ssl_certificate_key ${certificates.leaf.keyFile};\n location / { return 200 "<title>Secure</title>"; }`, { ssl: true });
      stops.push(open, basic, secure);
      const [a, b, c] = await identifyTcpServices(loopbackNetwork(), '127.0.119.7', [open.port, basic.port, secure.port].sort((x, y) => x - y), { signal: new AbortController().signal, ...SETTINGS })
        .then((ids) => [open, basic, secure].map((d) => ids.find((i) => i.port === d.port)!));
      expect(named(a!)).to.deep.equal({ service: 'http', protocol: 'http', tls: false, auth: 'none' });
      expect(a!.details).to.include({ 'http.status': '200', 'http.title': 'カメラ Admin', 'http.auth': 'GET / answered 200 without a challenge' });
      expect(a!.product).to.match(/^nginx\//);
      expect(named(b!)).to.deep.equal({ service: 'http', protocol: 'http', tls: false, auth: 'basic' });
      expect(b!.details['http.status']).to.equal('401');
      expect(named(c!)).to.deep.equal({ service: 'http', protocol: 'https', tls: true, auth: 'none' });
      expect(c!.details).to.include({ 'tls.alpn': 'http/1.1', 'http.title': 'Secure' });
    });

    it('Mosquitto: mqtt none when anonymous, password when a password file, mqtts over TLS', async function () {
      requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto', openssl: 'openssl' });
      const certificates = await testCertificates();
      const anonymous = await startMosquitto('127.0.119.8', 'anonymous');
      const guarded = await startMosquitto('127.0.119.9', { sensor: 'x' });
      const secure = await startMosquitto('127.0.119.10', 'anonymous', { tls: { certFile: certificates.leaf.chainFile, keyFile: certificates.leaf.keyFile } });
      stops.push(anonymous, guarded, secure);
      const a = await identify(anonymous.host, anonymous.port);
      const g = await identify(guarded.host, guarded.port);
      const s = await identify(secure.host, secure.port);
      expect(named(a)).to.deep.equal({ service: 'mqtt', protocol: 'mqtt', tls: false, auth: 'none' });
      expect(named(g)).to.deep.equal({ service: 'mqtt', protocol: 'mqtt', tls: false, auth: 'password' });
      expect(g.details['mqtt.connack']).to.equal('5');
      expect(named(s)).to.deep.equal({ service: 'mqtt', protocol: 'mqtts', tls: true, auth: 'none' });
    });

    it('libcoap coap-server: CoAP over TCP (5683) and over TLS (5684) with /.well-known/core', async function () {
      requireBinaries(this, COAP_SERVER_BINARIES);
      const plain = await startCoapServer({ host: '127.0.119.11', security: 'none' });
      const pki = await startCoapServer({ host: '127.0.119.12', security: 'pki' });
      stops.push(plain, pki);
      const p = await identify(plain.host, plain.plainPort);
      const t = await identify(pki.host, pki.plainPort + 1);
      expect(named(p)).to.deep.equal({ service: 'coap+tcp', protocol: null, tls: false, auth: 'none' });
      expect(p.details['coap.well-known-core']).to.match(/^2\.05 /);
      expect(named(t)).to.deep.equal({ service: 'coap+tcp', protocol: null, tls: true, auth: 'none' });
    });
  });

  describe('in-process fakes (nothing in Debian)', () => {
    const fakes: Fake[] = [];
    after(async () => Promise.all(fakes.splice(0).map((f) => f.close())));
    const start = async (fake: Promise<Fake>) => {
      const f = await fake;
      fakes.push(f);
      return identify(f.host, f.port);
    };

    it('an RTSP camera: rtsp, digest (from DESCRIBE)', async () => {
      const id = await start(startRtspCamera('127.0.119.20'));
      expect(named(id)).to.deep.equal({ service: 'rtsp', protocol: 'rtsp', tls: false, auth: 'digest' });
      expect(id.details).to.include({ 'rtsp.status': '200', 'rtsp.describe.status': '401' });
      expect(id.product).to.equal('Fake Camera RTSP/1.0');
    });

    it('ADB: adb, no protocol, none when CNXN is answered, publickey when AUTH is', async () => {
      const open = await start(startAdbDevice('127.0.119.21', 'open'));
      const keyed = await start(startAdbDevice('127.0.119.21', 'auth'));
      expect(named(open)).to.deep.equal({ service: 'adb', protocol: null, tls: false, auth: 'none' });
      expect(open.details['adb.model']).to.equal('FAKE-CAM-1');
      expect(named(keyed)).to.deep.equal({ service: 'adb', protocol: null, tls: false, auth: 'publickey' });
    });

    it('gdbserver: gdbserver, no protocol, none', async () => {
      const id = await start(startGdbStub('127.0.119.22'));
      expect(named(id)).to.deep.equal({ service: 'gdbserver', protocol: null, tls: false, auth: 'none' });
      expect(id.details['gdb.stop-reply']).to.match(/^T05/);
    });

    it('a UPnP description: upnp over http, naming the model', async () => {
      const id = await start(startUpnpDevice('127.0.119.23'));
      expect(named(id)).to.deep.equal({ service: 'upnp', protocol: 'http', tls: false, auth: null });
      expect(id.details).to.include({ 'upnp.location': '/rootDesc.xml', 'upnp.modelNumber': UPNP_MODEL, 'upnp.manufacturer': 'Fake Networks' });
    });

    it('an ONVIF camera: onvif over http, digest on its pages', async () => {
      const id = await start(startOnvifCamera('127.0.119.24'));
      expect(named(id)).to.deep.equal({ service: 'onvif', protocol: 'http', tls: false, auth: 'digest' });
      expect(id.details['onvif.device_service']).to.equal('/onvif/device_service');
    });
  });

  describe('hostile and dead ports', () => {
    const fakes: Fake[] = [];
    after(async () => Promise.all(fakes.splice(0).map((f) => f.close())));
    const FAST = { concurrency: 8, perPortBudgetMs: 2000, replyTimeoutMs: 500 };

    for (const hostility of ['silent', 'echo', 'garbage', 'endless', 'drip', 'closer'] as const) {
      it(`the ${hostility} port is unknown, within its budget`, async () => {
        const fake = await startHostile('127.0.119.30', hostility);
        fakes.push(fake);
        const started = Date.now();
        const id = await identify(fake.host, fake.port, FAST);
        expect(Date.now() - started).to.be.below(FAST.perPortBudgetMs + SLACK_MS);
        expect(named(id)).to.deep.equal({ service: 'unknown', protocol: null, tls: false, auth: null });
        for (const e of id.exchanges) expect(e.received.length).to.be.at.most(301);
        if (hostility === 'echo') expect(id.details['reply']).to.equal('echoes what it is sent');
        if (hostility === 'closer') expect(id.details['reply']).to.equal('closes every connection without a byte');
      });
    }

    it('silent ports are identified concurrently: eight cost one budget, not eight', async () => {
      const silent = await Promise.all(Array.from({ length: 8 }, () => startHostile('127.0.119.31', 'silent')));
      fakes.push(...silent);
      const started = Date.now();
      const ids = await identifyTcpServices(loopbackNetwork(), '127.0.119.31', silent.map((f) => f.port), { signal: new AbortController().signal, ...FAST });
      expect(Date.now() - started).to.be.below(FAST.perPortBudgetMs + SLACK_MS);
      expect(ids.map((i) => i.port)).to.deep.equal(silent.map((f) => f.port).sort((a, b) => a - b));
      expect(ids.every((i) => i.service === 'unknown' && i.durationMs < FAST.perPortBudgetMs + SLACK_MS)).to.equal(true);
    });

    it('a closed port, an out-of-scope host and an aborted run give identities, never a throw', async () => {
      const closed = await freePort('127.0.119.32');
      expect((await identify('127.0.119.32', closed)).details['connect']).to.match(/ECONNREFUSED/);
      const outside = await identify('192.0.2.1', 80);
      expect(outside.service).to.equal('unknown');
      expect(outside.details['connect']).to.match(/scope/i);
      const aborted = AbortSignal.abort();
      const ids = await identifyTcpServices(loopbackNetwork(), '127.0.119.32', [closed, closed, 1], { signal: aborted, ...FAST });
      expect(ids.map((i) => [i.port, i.service])).to.deep.equal([[1, 'unknown'], [closed, 'unknown']]);
    });
  });
});
