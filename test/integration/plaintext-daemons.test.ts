import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { requireBusyboxApplets, startBusyboxLogin } from '../support/busybox-telnetd.js';
import { requireBinaries, requireRoot } from '../support/daemons.js';
import { startMosquitto } from '../support/mosquitto.js';
import { startNginx } from '../support/nginx.js';
import { startVsftpd } from '../support/vsftpd.js';
import { expectNotRecorded, runPlaintextCheck } from '../checks/plaintext/run-plaintext.js';

/** S1.1-12 plaintext channels against real Debian daemons, each on a 127.0.97.1xx of its own. */

describe('S1.1-12 plaintext Telnet against real BusyBox telnetd', function () {
  this.timeout(60000);
  before(function () {
    requireBusyboxApplets(this);
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  it('FAILs telnetd with busybox login: its login prompt crosses in plaintext', async () => {
    const telnetd = await startBusyboxLogin('127.0.97.101', { maint: randomBytes(12).toString('base64url') });
    try {
      const { check } = await runPlaintextCheck(telnetd.host, [{ name: 'console', protocol: 'telnet', port: telnetd.port, auth: 'password' }]);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(new RegExp(`^console: Telnet on ${telnetd.port}/tcp shows a login prompt ".*login: ?" in plaintext \\(evidence #\\d+\\)`));
      expect(check.evidence[0]!.received).to.contain('jcstar fixture telnetd');
      expect(telnetd.authLog()).to.not.contain('invalid password');
    } finally {
      await telnetd.stop();
    }
  });
});

describe('S1.1-12 plaintext FTP against real vsftpd', function () {
  this.timeout(60000);
  const password = randomBytes(12).toString('base64url');
  before(function () {
    requireBinaries(this, { vsftpd: 'vsftpd', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  it('FAILs plain vsftpd: it asks for the password of any user in plaintext', async () => {
    const ftp = await startVsftpd('127.0.97.111', { maint: password });
    try {
      const { check } = await runPlaintextCheck(ftp.host, [{ name: 'files', protocol: 'ftp', port: ftp.port, auth: 'password' }]);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^files: FTP accepts USER\/PASS in plaintext: USER jcstar-[0-9a-f]{8} got "331 Please specify the password\." \(evidence #\d+\) without TLS, no PASS sent; AUTH TLS is refused \("530 Please login with USER and PASS\."; evidence #\d+\)$/);
      expect(ftp.ftpLog()).to.not.match(/"PASS /);
    } finally {
      await ftp.stop();
    }
  });

  it('PASSes vsftpd with force_local_logins_ssl: USER is refused until TLS is up', async () => {
    const ftp = await startVsftpd('127.0.97.112', { maint: password }, { forceTls: true });
    try {
      const { check } = await runPlaintextCheck(ftp.host, [{ name: 'files', protocol: 'ftp', port: ftp.port, auth: 'password' }]);
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(/^files: FTP refuses logins before TLS: USER jcstar-[0-9a-f]{8} got "530 Non-anonymous sessions must use encryption\." \(evidence #\d+\); AUTH TLS is offered \("234 Proceed with negotiation\."; evidence #\d+\)$/);
    } finally {
      await ftp.stop();
    }
  });
});

describe('S1.1-12 plaintext MQTT against real Mosquitto', function () {
  this.timeout(60000);
  before(function () {
    requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto' });
  });

  it('FAILs a password-protected listener without TLS: it checks credentials sent in plaintext', async () => {
    const password = randomBytes(15).toString('base64url');
    const broker = await startMosquitto('127.0.97.121', { sensor: password });
    try {
      const { check, runDir } = await runPlaintextCheck(
        broker.host,
        [{ name: 'broker', protocol: 'mqtt', port: broker.port, auth: 'password', credential: 'sensor' }],
        { credentials: { sensor: { username: 'sensor', password: '${env:BROKER_PASSWORD}' } }, env: { BROKER_PASSWORD: password } },
      );
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^broker: the MQTT broker answers CONNECT on \d+\/tcp without TLS and checked a username and password sent in plaintext \(CONNACK code=5 \(not authorized\)\)/);
      expect(check.evidence[0]!.received).to.equal('CONNACK code=5 (not authorized)');
      expect(broker.log()).to.not.contain('sensor');
      expectNotRecorded(runDir, password);
    } finally {
      await broker.stop();
    }
  });
});

describe('S1.1-12 plaintext HTTP against real nginx', function () {
  this.timeout(60000);
  const LOGIN = `location = /login { default_type text/html; return 200 '<form method="post"><input name="username"><input type="password" name="password"></form>'; }`;
  before(function () {
    requireBinaries(this, { nginx: 'nginx-light' });
  });

  async function webCheck(host: string, serverBody: string) {
    const nginx = await startNginx(host, '', serverBody);
    try {
      return (await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: nginx.port, auth: 'form', login: { path: '/login' }, paths: ['/admin/'] }])).check;
    } finally {
      await nginx.stop();
    }
  }

  it('FAILs a login page and an admin page served over plain HTTP', async () => {
    const check = await webCheck('127.0.97.131', LOGIN);
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/^web: HTTP login \/login served over plaintext \(200\), no redirect to HTTPS \(evidence #\d+\); HTTP page \/admin\/ served over plaintext \(200\), no redirect to HTTPS \(evidence #\d+\)$/);
    expect(check.evidence[0]!.received).to.match(/^HTTP\/1\.1 200 OK\r\nserver: nginx[\s\S]*type="password"/);
  });

  it('PASSes nginx that redirects everything to HTTPS', async () => {
    const check = await webCheck('127.0.97.132', 'return 301 https://$host$request_uri;');
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.match(/^web: every login and protected path redirects to HTTPS: \/login \(301 → https:\/\/127\.0\.97\.132\/login; evidence #\d+\), \/admin\/ \(301 → https:\/\/127\.0\.97\.132\/admin\/; evidence #\d+\)$/);
    expect(check.evidence[0]!.received).to.match(/^HTTP\/1\.1 301 Moved Permanently\r\n/);
  });
});
