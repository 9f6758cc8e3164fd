import { createServer, type Server } from 'node:http';
import { expect } from 'chai';
import type { RunOutcome } from '../../harness/engine/run.js';
import { parseLinkFormat } from '../../harness/probes/coap/link-format.js';
import type { CheckResult as ResultCheck } from '../../harness/results/schema.js';
import { startCoapFake, type FakeCoapResource } from '../../harness/simulator/fakes/coap-server.js';
import { STREAM_PATH, startRtspServer } from '../../harness/simulator/fakes/rtsp-server.js';
import { startSshNoneServer } from '../../harness/simulator/fakes/ssh-none-server.js';
import { DEBUG_SHELL_PORT, startSimulatedDevice } from '../../harness/simulator/device.js';
import { countingListener } from '../support/listeners.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

/** S1.1-01 unauthenticated access against in-process fakes and the simulator, each on a 127.0.87.x of its own. */

const JUSTIFICATION = 'read-only liveness flag for the companion app; no personal or configuration data';
/** No port scan beyond the declared services, so the host's own wildcard listeners stay out of these runs. */
const QUIET = { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 1500 } };

function profile(host: string, services: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return { device: DEVICE, target: { host }, scope: [`${host}/32`], services, policy: QUIET, ...extra };
}

function accessCheck(run: RunOutcome, name: string): ResultCheck {
  const check = run.results.checks.find((c) => c.id === `S1.1-01/unauthenticated-access/${name}`);
  if (!check) throw new Error(`no check for ${name}: ${run.results.checks.map((c) => c.id).join(', ')}`);
  return check;
}

describe('S1.1-01 CoRE link format', () => {
  it('reads targets and attributes, with commas and semicolons inside quoted values', () => {
    expect(parseLinkFormat('</sensors/temp>;rt="temperature-c";if="sensor",</cfg>;title="a, b; c";ct=0,<//other/x>,junk')).to.deep.equal([
      { target: '/sensors/temp', attributes: { rt: 'temperature-c', if: 'sensor' } },
      { target: '/cfg', attributes: { title: 'a, b; c', ct: '0' } },
      { target: '//other/x', attributes: {} },
    ]);
  });
});

describe('S1.1-01 unauthenticated access: CoAP (node-coap fake)', function () {
  this.timeout(30000);

  async function coapRun(host: string, resources: Record<string, FakeCoapResource>, service: Record<string, unknown>) {
    const fake = await startCoapFake({ host, resources });
    try {
      const run = await runProfile(profile(host, [{ name: 'coap', protocol: 'coap', port: fake.port, ...service }]), { only: ['S1.1-01'] });
      return { check: accessCheck(run, 'coap'), requests: fake.requests() };
    } finally {
      await fake.close();
    }
  }

  const OPEN = { code: '2.05', payload: '{"door":"unlocked"}', contentFormat: 'application/json' } as const;
  const LOCKED = { code: '4.01' } as const;

  it('FAILs when a listed resource answers 2.05 without credentials on a service that claims authentication', async () => {
    const { check, requests } = await coapRun('127.0.87.1', { '/door': OPEN, '/cfg': LOCKED }, { auth: 'token' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/^coap: \/door \(2\.05 application\/json; evidence #\d+\) reachable without authentication$/);
    const door = check.evidence.find((e) => e.data?.resource === '/door')!;
    expect(door.sent).to.equal(`CON GET coap://127.0.87.1:${check.target!.port}/door`);
    expect(door.received).to.equal('2.05 Content-Format: application/json\n{"door":"unlocked"}');
    // The UDP inventory's CoAP probe first, then the check's own requests.
    expect(requests).to.deep.equal(['/.well-known/core', '/.well-known/core', '/door', '/cfg']);
  });

  it('PASSes when every listed resource answers 4.01', async () => {
    const { check } = await coapRun('127.0.87.2', { '/door': LOCKED, '/cfg': LOCKED }, { auth: 'token' });
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.match(/^coap refused \/door \(4\.01; evidence #\d+\), \/cfg \(4\.01; evidence #\d+\) without credentials$/);
    expect(check.evidence.find((e) => e.data?.role === 'discovery')!.received).to.contain('</door>;rt="jcstar.fake",</cfg>;rt="jcstar.fake"');
  });

  it('PASSes when the open resource is declared public, and records the justification', async () => {
    const { check } = await coapRun('127.0.87.3', { '/door': OPEN, '/cfg': LOCKED }, { auth: 'token', public: [{ resource: '/door', justification: JUSTIFICATION }] });
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.contain(`public by declaration: /door ("${JUSTIFICATION}")`);
    const note = check.evidence.find((e) => e.kind === 'note' && e.data?.justification)!;
    expect(note.data).to.deep.include({ resource: '/door', justification: JUSTIFICATION });
  });

  it('is INCONCLUSIVE on a service declared auth: none whose open resource is not declared public (the simulator\'s case)', async () => {
    const { check } = await coapRun('127.0.87.4', { '/status': OPEN }, { auth: 'none' });
    expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/^coap is declared unauthenticated \(auth: none\) and gave out \/status \(2\.05 application\/json; evidence #\d+\) without credentials, but the profile does not declare this public/);
  });

  it('is NOT_APPLICABLE on a service declared auth: none whose every open resource is declared public', async () => {
    const { check } = await coapRun('127.0.87.5', { '/status': OPEN }, { auth: 'none', public: [{ resource: '/status', justification: JUSTIFICATION }] });
    expect(check.verdict, check.reason).to.equal('NOT_APPLICABLE');
    expect(check.reason).to.equal(`coap is declared unauthenticated (auth: none) and everything it gave out without credentials is declared public: /status ("${JUSTIFICATION}")`);
  });

  it('is INCONCLUSIVE when nothing answers over UDP', async () => {
    const run = await runProfile(profile('127.0.87.6', [{ name: 'coap', protocol: 'coap', port: 5683, auth: 'token' }]), { only: ['S1.1-01'] });
    const check = accessCheck(run, 'coap');
    expect(check.verdict).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/^coap did not answer: \/\.well-known\/core \(no CoAP answer within 1500 ms \(UDP: no answer\); evidence #\d+\)$/);
  });
});

describe('S1.1-01 unauthenticated access: SSH method none', function () {
  this.timeout(30000);

  it('FAILs on a server that accepts none, with USERAUTH_SUCCESS in the transcript', async () => {
    const server = await startSshNoneServer({ host: '127.0.87.10' });
    try {
      const run = await runProfile(profile(server.host, [{ name: 'ssh', protocol: 'ssh', port: server.port, auth: 'publickey' }]), { only: ['S1.1-01'] });
      const check = accessCheck(run, 'ssh');
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^ssh: login as "root" with method none \(USERAUTH_SUCCESS; evidence #\d+\) reachable without authentication$/);
      expect(check.evidence[0]!.sent).to.equal('USERAUTH_REQUEST user=root method=none');
      expect(check.evidence[0]!.received).to.match(/\nUSERAUTH_SUCCESS$/);
      // One by identification, which reads the offered methods, and one by the check.
      expect(server.noneLogins()).to.equal(2);
    } finally {
      await server.close();
    }
  });

  it('PASSes on the simulator, which refuses none and lists password and keyboard-interactive', async () => {
    const device = await startSimulatedDevice({ mode: 'secure', host: '127.0.87.11' });
    try {
      // Only the ssh service; the update section, which reads the version over web-admin, goes with the others.
      const { document: full, env } = device.profileDocument();
      const { update: _update, ...document } = full;
      const services = (document.services as Array<{ name: string }>).filter((s) => s.name === 'ssh');
      const run = await runProfile({ ...document, services, policy: QUIET }, { env, only: ['S1.1-01'] });
      const check = accessCheck(run, 'ssh');
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.evidence.map((e) => e.data?.username)).to.deep.equal(['admin', 'root']);
      expect(check.evidence[0]!.received).to.match(/\nUSERAUTH_FAILURE methods=password,keyboard-interactive$/);
      expect(device.authAttempts.ssh).to.equal(0);
    } finally {
      await device.close();
    }
  });
});

describe('S1.1-01 unauthenticated access: RTSP DESCRIBE (fake camera)', function () {
  this.timeout(30000);

  async function rtspRun(host: string, auth: 'none' | 'digest', service: Record<string, unknown> = {}) {
    const server = await startRtspServer({ host, auth, username: 'admin', password: 'not-tried-here' });
    try {
      const run = await runProfile(profile(host, [{ name: 'camera', protocol: 'rtsp', port: server.port, auth: 'digest', paths: [STREAM_PATH], ...service }]), { only: ['S1.1-01'] });
      return { check: accessCheck(run, 'camera'), attempts: server.attempts() };
    } finally {
      await server.close();
    }
  }

  it('FAILs when the stream description comes without credentials', async () => {
    const { check } = await rtspRun('127.0.87.20', 'none');
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/^camera: \/stream1 \(RTSP 200 OK with an SDP stream description; evidence #\d+\) reachable without authentication$/);
    expect(check.evidence[0]!.sent).to.match(/^DESCRIBE rtsp:\/\/127\.0\.87\.20:\d+\/stream1 RTSP\/1\.0\r\n/);
    expect(check.evidence[0]!.received).to.match(/^RTSP\/1\.0 200 OK/);
    expect(check.evidence[0]!.received).to.contain('m=video 0 RTP/AVP 96');
  });

  it('PASSes when DESCRIBE meets a Digest challenge', async () => {
    const { check, attempts } = await rtspRun('127.0.87.21', 'digest');
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.evidence[0]!.received).to.match(/^RTSP\/1\.0 401 Unauthorized/);
    expect(attempts).to.equal(0);
  });

  it('PASSes an open stream declared public, with the justification in the evidence', async () => {
    const { check } = await rtspRun('127.0.87.22', 'none', { public: [{ resource: STREAM_PATH, justification: JUSTIFICATION }] });
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.equal(`camera: everything it gave out without credentials is declared public: /stream1 ("${JUSTIFICATION}")`);
    expect(check.evidence.some((e) => e.kind === 'note' && e.summary.includes(JUSTIFICATION))).to.equal(true);
  });
});

describe('S1.1-01 unauthenticated access: HTTP judgement of common admin paths', function () {
  this.timeout(30000);
  let server: Server;
  let port: number;
  const LOGIN = '<!DOCTYPE html><form method="post"><input name="user"><input type="password" name="pw"></form>';
  const APP = '<!DOCTYPE html><div id="app"></div><script src="/app.js"></script>';

  before(async () => {
    // A single-page app: the same shell for any path, a login page at /admin/, and one leaky file.
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/settings') return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="cam"' }).end();
      if (path === '/admin') return res.writeHead(301, { Location: '/admin/' }).end();
      if (path === '/admin/') return res.writeHead(200, { 'Content-Type': 'text/html' }).end(LOGIN);
      if (path === '/system.ini') return res.writeHead(200, { 'Content-Type': 'text/plain' }).end('[user]\nadmin=\n');
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(APP);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.87.30', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('FAILs on the one common path with content of its own, not on the login page nor the catch-all page', async () => {
    const run = await runProfile(profile('127.0.87.30', [{ name: 'web', protocol: 'http', port, auth: 'basic', paths: ['/settings'] }]), { only: ['S1.1-01'] });
    const check = accessCheck(run, 'web');
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/^web: \/system\.ini \(HTTP 200 OK; evidence #\d+\) reachable without authentication$/);
    const leak = check.evidence.find((e) => e.data?.resource === '/system.ini')!;
    expect(leak.received).to.match(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\[user\]\nadmin=\n$/);
    expect(leak.artifacts).to.have.length(1);
    const admin = check.evidence.find((e) => e.data?.resource === '/admin')!;
    expect(admin.summary).to.equal('common admin path (admin-paths-2026.11): GET /admin without credentials → HTTP 200 OK after 1 redirect(s), a page asking for a password: refused');
    expect(check.evidence.find((e) => e.data?.resource === '/config')!.data?.reach).to.equal('absent');
  });

  it('PASSes once the leaky file is declared public', async () => {
    const run = await runProfile(
      profile('127.0.87.30', [{ name: 'web', protocol: 'http', port, auth: 'basic', paths: ['/settings'], public: [{ resource: '/system.ini', justification: JUSTIFICATION }] }]),
      { only: ['S1.1-01'] },
    );
    const check = accessCheck(run, 'web');
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.match(/^web refused \/settings \(HTTP 401 Unauthorized; evidence #\d+\), \/admin \(.+\), \/admin\/ \(.+\) without credentials; public by declaration: \/system\.ini \(".+"\)$/);
  });
});

describe('S1.1-01 unauthenticated access: HTTP service that never answers', function () {
  this.timeout(30000);

  it('is INCONCLUSIVE and gives up after three silent requests', async () => {
    const listener = await countingListener('127.0.87.31');
    try {
      const run = await runProfile(profile(listener.host, [{ name: 'web', protocol: 'http', port: listener.port, auth: 'basic', paths: ['/settings'] }]), { only: ['S1.1-01'] });
      const check = accessCheck(run, 'web');
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^web did not answer: \/settings \(no complete HTTP response within 1500 ms; evidence #\d+\), \/admin\/ \(not tried: no answer to 3 requests in a row; evidence #\d+\)$/);
      // Preflight and the port scan, identification (a listen, then one connection per other probe it may
      // speak: TLS, HTTP, MQTT, RTSP, CoAP over TCP, ADB, gdbserver), then the negative control, /settings
      // and /admin: nothing more.
      expect(listener.connections()).to.equal(2 + 7 + 3);
    } finally {
      await listener.close();
    }
  });
});

describe('S1.1-01 unauthenticated access: Telnet ports and services without a probe', function () {
  this.timeout(30000);

  it('FAILs the insecure simulator\'s undeclared debug shell on 2323/tcp, which the inventory found, with its banner', async () => {
    const device = await startSimulatedDevice({ mode: 'insecure', host: '127.0.87.40' });
    try {
      const run = await runProfile(profile(device.host, [], { policy: { portScan: { tcpPorts: String(DEBUG_SHELL_PORT) } } }), { only: ['S1.1-01'] });
      const check = accessCheck(run, 'undeclared-telnet-2323');
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^undeclared-telnet-2323: shell \(shell prompt "#" with no login; evidence #\d+\) reachable without authentication$/);
      expect(check.evidence[0]!.received).to.equal('\r\nBusyBox v1.30 built-in shell (ash)\r\n# ');
    } finally {
      await device.close();
    }
  });

  it('plans no Telnet check where the inventory found nothing listening', async () => {
    const run = await runProfile(profile('127.0.87.41', [], { policy: { portScan: { tcpPorts: '23,2323' } } }), { only: ['S1.1-01'] });
    expect(run.results.checks.filter((c) => c.id.includes('telnet'))).to.deep.equal([]);
  });

  it('is INCONCLUSIVE "no probe" for a protocol it cannot try, and sends nothing', async () => {
    const run = await runProfile(profile('127.0.87.42', [{ name: 'mgmt', protocol: 'upnp', port: 1900, auth: 'none' }]), { only: ['S1.1-01'] });
    const check = accessCheck(run, 'mgmt');
    expect(check.verdict).to.equal('INCONCLUSIVE');
    expect(check.reason).to.equal('jcstar has no unauthenticated-access probe for upnp yet; try mgmt without credentials by hand');
    expect(check.evidence.map((e) => e.kind)).to.deep.equal(['note']);
  });
});

describe('S1.1-01 unauthenticated access: an HTTP port that only redirects to HTTPS', function () {
  this.timeout(30000);
  const HOST = '127.0.87.32';

  async function redirecting(location: (path: string) => string) {
    const server = createServer((req, res) => res.writeHead(301, { Location: location(req.url ?? '/') }).end());
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    return { port: (server.address() as { port: number }).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('PASSes: nothing is served when every path redirects to HTTPS on the device itself', async () => {
    const web = await redirecting((path) => `https://${HOST}:8443${path}`);
    try {
      const run = await runProfile(profile(HOST, [{ name: 'redirect', protocol: 'http', port: web.port, auth: 'none' }]), { only: ['S1.1-01'] });
      const check = accessCheck(run, 'redirect');
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(/^redirect: nothing served without credentials: every one of the \d+ path\(s\) tried redirects to HTTPS on the device \(e\.g\. \/admin: HTTP 301 Moved Permanently, redirect to https:\/\/127\.0\.87\.32:8443\/admin: nothing served here; evidence #\d+\)$/);
    } finally {
      await web.close();
    }
  });

  it('credits no redirect to HTTPS on another host', async () => {
    const web = await redirecting((path) => `https://198.51.100.9${path}`);
    try {
      const run = await runProfile(profile(HOST, [{ name: 'redirect', protocol: 'http', port: web.port, auth: 'none' }]), { only: ['S1.1-01'] });
      const check = accessCheck(run, 'redirect');
      expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^redirect: nothing refused access without credentials/);
    } finally {
      await web.close();
    }
  });
});
