import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunOutcome } from '../../harness/engine/run.js';
import type { CheckResult } from '../../harness/results/schema.js';
import { requireBusyboxApplets, startBusyboxLogin, startBusyboxShell } from '../support/busybox-telnetd.js';
import { requireBinaries, requireRoot } from '../support/daemons.js';
import { startLighttpd } from '../support/lighttpd.js';
import { startMosquitto } from '../support/mosquitto.js';
import { DEVICE, runProfile, tempDir } from '../support/run-profile.js';

/** S1.1-01 unauthenticated access against real Debian daemons, each on a 127.0.87.1xx of its own. */

const JUSTIFICATION = 'public demo broker: every topic carries open weather data by design';

function profile(host: string, service: Record<string, unknown>) {
  return { device: DEVICE, target: { host }, scope: [`${host}/32`], services: [{ name: 'svc', ...service }], policy: { portScan: { tcpPorts: '' } } };
}

async function accessCheck(document: Record<string, unknown>): Promise<CheckResult> {
  const run: RunOutcome = await runProfile(document, { only: ['S1.1-01'] });
  return run.results.checks.find((c) => c.id === 'S1.1-01/unauthenticated-access/svc')!;
}

describe('S1.1-01 unauthenticated access against real Mosquitto', function () {
  this.timeout(60000);
  before(function () {
    requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto' });
  });

  it('FAILs on allow_anonymous: the SUBACK grants # to a client without credentials', async () => {
    const broker = await startMosquitto('127.0.87.101', 'anonymous');
    try {
      const check = await accessCheck(profile(broker.host, { protocol: 'mqtt', port: broker.port, auth: 'password' }));
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^svc: # \(SUBACK granted QoS 0, \d+ message\(s\) in 1500 ms; evidence #\d+\), \$SYS\/# \(.+\) reachable without authentication$/);
      const transcript = check.evidence[0]!;
      expect(transcript.sent).to.match(/^CONNECT protocol=MQTT 3\.1\.1 clientId=jcstar-[0-9a-f]{8} \(no username, no password\)/);
      expect(transcript.received).to.contain('CONNACK code=0 (accepted)\nSUBACK # granted QoS 0\nSUBACK $SYS/# granted QoS 0');
      // Mosquitto publishes its version under $SYS as a retained message.
      expect(transcript.data?.topics).to.include('$SYS/broker/version');
    } finally {
      await broker.stop();
    }
  });

  it('PASSes with a password file: the anonymous CONNECT is refused by CONNACK', async () => {
    const broker = await startMosquitto('127.0.87.102', { sensor: randomBytes(15).toString('base64url') });
    try {
      const check = await accessCheck(profile(broker.host, { protocol: 'mqtt', port: broker.port, auth: 'password' }));
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(/^svc refused anonymous CONNECT \(CONNACK 5 \(not authorized\); evidence #\d+\) without credentials$/);
      expect(check.evidence[0]!.received).to.equal('CONNACK code=5 (not authorized)');
    } finally {
      await broker.stop();
    }
  });

  it('PASSes an anonymous broker whose wildcard filters are declared public, with the justification in the evidence', async () => {
    const broker = await startMosquitto('127.0.87.103', 'anonymous');
    try {
      const open = ['#', '$SYS/#'].map((resource) => ({ resource, justification: JUSTIFICATION }));
      const check = await accessCheck(profile(broker.host, { protocol: 'mqtt', port: broker.port, auth: 'password', public: open }));
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.equal(`svc: everything it gave out without credentials is declared public: # ("${JUSTIFICATION}"), $SYS/# ("${JUSTIFICATION}")`);
      expect(check.evidence.filter((e) => e.kind === 'note').map((e) => e.data?.justification)).to.deep.equal([JUSTIFICATION, JUSTIFICATION]);
    } finally {
      await broker.stop();
    }
  });
});

describe('S1.1-01 unauthenticated access against real BusyBox telnetd', function () {
  this.timeout(60000);
  before(function () {
    requireBusyboxApplets(this);
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  it('FAILs on telnetd -l /bin/sh: a shell prompt with no login', async () => {
    const telnetd = await startBusyboxShell('127.0.87.111');
    try {
      const check = await accessCheck(profile(telnetd.host, { protocol: 'telnet', port: telnetd.port, auth: 'password' }));
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^svc: shell \(shell prompt ".*[$#]" with no login; evidence #\d+\) reachable without authentication$/);
      expect(check.evidence[0]!.received).to.contain('jcstar fixture telnetd');
      expect(check.evidence[0]!.data?.shellWithoutLogin).to.equal(true);
    } finally {
      await telnetd.stop();
    }
  });

  it('PASSes on telnetd with busybox login: a login prompt first', async () => {
    const telnetd = await startBusyboxLogin('127.0.87.112', { maint: randomBytes(12).toString('base64url') });
    try {
      const check = await accessCheck(profile(telnetd.host, { protocol: 'telnet', port: telnetd.port, auth: 'password' }));
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(/^svc refused shell \(login prompt ".*login: ?"; evidence #\d+\) without credentials$/);
      expect(telnetd.authLog()).to.not.contain('invalid password');
    } finally {
      await telnetd.stop();
    }
  });
});

describe('S1.1-01 unauthenticated access against real lighttpd', function () {
  this.timeout(60000);
  const ADMIN_PAGE = '<!DOCTYPE html><title>camera admin</title><p>Reboot, firmware, users</p>\n';
  before(function () {
    requireBinaries(this, { lighttpd: 'lighttpd' });
  });

  async function webCheck(host: string, configBody: string): Promise<CheckResult> {
    const lighttpd = await startLighttpd(host, configBody, { 'admin/index.html': ADMIN_PAGE });
    try {
      return await accessCheck(profile(host, { protocol: 'http', port: lighttpd.port, auth: 'basic', paths: ['/admin/'] }));
    } finally {
      await lighttpd.stop();
    }
  }

  it('PASSes when the protected path asks for Basic credentials', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users'), `admin:${randomBytes(12).toString('base64url')}\n`);
    const check = await webCheck(
      '127.0.87.121',
      `server.modules += ("mod_auth", "mod_authn_file")
auth.backend = "plain"
auth.backend.plain.userfile = "${join(dir, 'users')}"
auth.require = ( "/admin/" => ( "method" => "basic", "realm" => "camera", "require" => "valid-user" ) )`,
    );
    expect(check.verdict, check.reason).to.equal('PASS');
    const admin = check.evidence.find((e) => e.data?.resource === '/admin/')!;
    expect(admin.received).to.match(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(admin.received).to.match(/\r\nwww-authenticate: Basic realm="camera"/i);
  });

  it('FAILs when the same path is served without authentication', async () => {
    const check = await webCheck('127.0.87.122', '');
    expect(check.verdict, check.reason).to.equal('FAIL');
    // /admin, a common path, redirects to the same page.
    expect(check.reason).to.match(/^svc: \/admin\/ \(HTTP 200 OK; evidence #\d+\), \/admin \(HTTP 200 OK after 1 redirect\(s\); evidence #\d+\) reachable without authentication$/);
    const admin = check.evidence.find((e) => e.data?.resource === '/admin/')!;
    expect(admin.sent).to.match(/^GET \/admin\/ HTTP\/1\.1\r\n/);
    expect(admin.sent).to.not.match(/Authorization/i);
    expect(admin.received).to.match(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Reboot, firmware, users/);
  });
});
