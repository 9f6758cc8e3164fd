import { expect } from 'chai';
import type { CheckResult } from '../../harness/results/schema.js';
import { testCertificates, type TestCertificates } from '../support/certificates.js';
import { COAP_SERVER_BINARIES, startCoapServer } from '../support/coap-server.js';
import { requireBinaries, requireRoot, type Daemon } from '../support/daemons.js';
import { startMosquitto } from '../support/mosquitto.js';
import { startOpenSsh } from '../support/openssh.js';
import { DEVICE, runProfile } from '../support/run-profile.js';
import { MOZILLA_INTERMEDIATE_CIPHERS, startDualCertificateNginx, startTlsNginx } from '../support/tls-servers.js';
import { startVsftpd } from '../support/vsftpd.js';

/**
 * S1.1-12 end to end against real Debian daemons. The test certificates name IP:127.0.0.1, so these
 * devices live there, each daemon on a free port of its own.
 */
const HOST = '127.0.0.1';
const HARDENED_SSH = [
  'KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org',
  'Ciphers aes256-gcm@openssh.com,aes128-gcm@openssh.com',
  'MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com',
  'HostKeyAlgorithms ecdsa-sha2-nistp256',
].join('\n');

/**
 * libcoap's OpenSSL build offers every PSK AEAD suite OpenSSL has, ARIA among them (a warning under the
 * rules), and has no option to narrow them: a lab that accepts them without a warning records why, as a vendor would.
 */
const LIBCOAP_ARIA = ['TLS_PSK_WITH_ARIA_128_GCM_SHA256', 'TLS_PSK_WITH_ARIA_256_GCM_SHA384'];
const LIBCOAP_PERMITS = LIBCOAP_ARIA.map((value) => ({
  rule: 'dtls.cipherSuites',
  value,
  justification: 'AEAD suite that libcoap 4.3 with OpenSSL enables and cannot switch off; accepted for this fixture',
}));

function device(services: Record<string, unknown>[], crypto?: Record<string, unknown>) {
  return {
    device: DEVICE,
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services,
    declarations: { communicationProtection: { description: 'TLS 1.2+ on every TCP service, DTLS 1.2 PSK on CoAP', cryptoReference: 'CRYPTREC TLS 暗号設定ガイドライン 3.0.1' } },
    policy: { portScan: { tcpPorts: '' } },
    ...(crypto ? { crypto } : {}),
  };
}

async function protection(services: Record<string, unknown>[], crypto?: Record<string, unknown>) {
  const run = await runProfile(device(services, crypto), { only: ['S1.1-12'] });
  const requirement = run.results.requirements.find((r) => r.id === 'S1.1-12')!;
  const check = (name: string, kind = 'crypto'): CheckResult => run.results.checks.find((c) => c.id === `S1.1-12/${kind}/${name}`)!;
  return { run, requirement, check };
}

describe('S1.1-12 protection against eavesdropping, on real daemons', function () {
  this.timeout(120_000);
  let certs: TestCertificates;
  const daemons: Daemon[] = [];
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((d) => d.stop()));
  });

  before(async function () {
    requireBinaries(this, { nginx: 'nginx-light', mosquitto: 'mosquitto', sshd: 'openssh-server', ...COAP_SERVER_BINARIES });
    certs = await testCertificates();
  });

  it('PASSes a device that speaks only TLS 1.2+, hardened SSH and DTLS 1.2 PSK', async function () {
    requireRoot(this, 'sshd reads the fixture users from a private mount namespace');
    const web = await startTlsNginx(HOST, certs.leaf, 'modern');
    const broker = await startMosquitto(HOST, 'anonymous', {
      tls: { certFile: certs.leaf.chainFile, keyFile: certs.leaf.keyFile, extra: ['tls_version tlsv1.2', `ciphers ${MOZILLA_INTERMEDIATE_CIPHERS}`] },
    });
    const sshd = await startOpenSsh(HOST, {}, HARDENED_SSH);
    const coaps = await startCoapServer({ host: HOST, security: 'psk' });
    daemons.push(web, broker, sshd, coaps);
    const anchors = [certs.root.certFile];
    const { requirement, check } = await protection([
      { name: 'web', protocol: 'https', port: web.port, auth: 'basic', trustAnchors: anchors },
      { name: 'telemetry', protocol: 'mqtts', port: broker.port, auth: 'none', trustAnchors: anchors },
      { name: 'shell', protocol: 'ssh', port: sshd.port, auth: 'publickey' },
      { name: 'sensors', protocol: 'coaps', port: coaps.port, auth: 'psk' },
    ], { permit: LIBCOAP_PERMITS });
    for (const name of ['web', 'telemetry', 'shell', 'sensors']) {
      expect(check(name).verdict, `${name}: ${check(name).reason}`).to.equal('PASS');
      expect(check(name).reason).to.match(/\(rules crypto-2026\.12\+profile\)$/);
      expect(check(name).warnings, name).to.deep.equal([]);
    }
    expect(requirement.verdict).to.equal('PASS');
  });

  it('PASSes a DTLS server with warnings for its ARIA suites, and FAILs them once the profile restricts them away', async () => {
    const coaps = await startCoapServer({ host: HOST, security: 'psk' });
    daemons.push(coaps);
    const service = [{ name: 'sensors', protocol: 'coaps', port: coaps.port, auth: 'psk' }];
    const base = await protection(service);
    expect(base.check('sensors').verdict, base.check('sensors').reason).to.equal('PASS');
    expect(base.check('sensors').warnings.map((w) => w.replace(/ \(.*$/, ''))).to.deep.equal(LIBCOAP_ARIA.map((s) => `accepts ${s} on DTLSv1.2`));
    expect(base.check('sensors').reason).to.match(/, with 2 warning\(s\): accepts TLS_PSK_WITH_ARIA_128_GCM_SHA256 on DTLSv1\.2 \(ARIA and Camellia: .*\(rules crypto-2026\.12\)$/);
    const observed = base.check('sensors').evidence.find((e) => e.kind === 'observation')!.data!.versions as Array<{ version: string; cipherSuites: Array<{ name: string }> }>;
    const kept = observed.find((v) => v.version === 'DTLSv1.2')!.cipherSuites.map((s) => s.name).filter((name) => !LIBCOAP_ARIA.includes(name));
    const strict = await protection(service, { restrict: { dtls: { cipherSuites: kept } } });
    expect(strict.check('sensors').verdict).to.equal('FAIL');
    expect(strict.check('sensors').reason).to.equal(
      "accepts TLS_PSK_WITH_ARIA_128_GCM_SHA256 on DTLSv1.2 (removed by the profile's crypto.restrict); accepts TLS_PSK_WITH_ARIA_256_GCM_SHA384 on DTLSv1.2 (removed by the profile's crypto.restrict) (rules crypto-2026.12+profile)",
    );
  });

  it('grades FTP on its AUTH TLS upgrade, and calls it not applicable when there is none', async function () {
    requireBinaries(this, { vsftpd: 'vsftpd' });
    requireRoot(this, 'vsftpd authenticates through PAM and the fixture users');
    const forced = await startVsftpd(HOST, { ftpuser: 'unused-Pw-1' }, { forceTls: true });
    daemons.push(forced);
    const graded = await protection([{ name: 'files', protocol: 'ftp', port: forced.port, auth: 'password' }]);
    // vsftpd's certificate is self-signed and no anchor is declared: TLS itself passes, trust goes to a person.
    expect(graded.check('files').verdict).to.equal('MANUAL');
    expect(graded.check('files').reason).to.match(/^to review: no trust anchor declared .* self-signed certificate is unknown; certificate does not name 127\.0\.0\.1 .*\(rules crypto-2026\.12\)$/);
    expect(graded.check('files', 'plaintext').verdict).to.equal('PASS');
    const plain = await startVsftpd(HOST, { ftpuser: 'unused-Pw-1' });
    daemons.push(plain);
    const none = await protection([{ name: 'files', protocol: 'ftp', port: plain.port, auth: 'password' }]);
    expect(none.check('files').verdict).to.equal('NOT_APPLICABLE');
    expect(none.check('files', 'plaintext').verdict).to.equal('FAIL');
    expect(none.requirement.verdict).to.equal('FAIL');
  });

  it('FAILs legacy TLS, naming the versions, suites and the weak DHE prime', async () => {
    const web = await startTlsNginx(HOST, certs.leaf, 'legacy');
    daemons.push(web);
    const { requirement, check } = await protection([{ name: 'web', protocol: 'https', port: web.port, auth: 'basic', trustAnchors: [certs.root.certFile] }]);
    expect(check('web').verdict).to.equal('FAIL');
    for (const item of ['accepts TLSv1.0 (', 'accepts TLSv1.1 (', 'accepts TLS_ECDH_anon_WITH_AES_128_CBC_SHA on TLSv1.2 (anonymous key exchange', 'DHE prime of 1024 bits']) {
      expect(check('web').reason).to.include(item);
    }
    // Static RSA is a warning where the server prefers a clean suite to it, a failure where it prefers it.
    const staticRsa = [...check('web').warnings, check('web').reason].join('; ');
    expect(staticRsa).to.include('accepts TLS_RSA_WITH_AES_128_GCM_SHA256 on TLSv1.2 (no forward secrecy');
    expect(requirement.verdict).to.equal('FAIL');
  });

  it('PASSes ECDHE AEAD preferred to ECDHE CBC, naming each CBC suite as a warning; FAILs CBC once restricted away', async () => {
    const web = await startTlsNginx(HOST, certs.leaf, 'cbc-after-aead');
    daemons.push(web);
    const service = [{ name: 'web', protocol: 'https', port: web.port, auth: 'basic', trustAnchors: [certs.root.certFile] }];
    const { requirement, check } = await protection(service);
    expect(check('web').verdict, check('web').reason).to.equal('PASS');
    const cbc = check('web').warnings.map((w) => w.replace(/ \(.*$/, ''));
    expect(cbc.length).to.be.greaterThan(0);
    expect(cbc.every((w) => /^accepts TLS_ECDHE_(RSA|ECDSA)_WITH_AES_(128|256)_CBC_SHA(384)? on TLSv1\.2$/.test(w)), cbc.join('; ')).to.equal(true);
    expect(check('web').reason).to.include(`with ${cbc.length} warning(s): accepts TLS_ECDHE_`);
    expect(requirement.verdict).to.equal('PASS');

    const aeadOnly = (check('web').evidence.find((e) => e.kind === 'observation')!.data!.versions as Array<{ version: string; cipherSuites: Array<{ name: string }> }>)
      .find((v) => v.version === 'TLSv1.2')!.cipherSuites.map((s) => s.name).filter((name) => !name.includes('_CBC_'));
    const restricted = await protection(service, { restrict: { tls: { cipherSuites: aeadOnly } } });
    expect(restricted.check('web').verdict).to.equal('FAIL');
    expect(restricted.check('web').reason).to.match(/^accepts TLS_ECDHE_\w+_CBC_\w+ on TLSv1\.2 \(removed by the profile's crypto\.restrict\)/);
    expect(restricted.check('web').warnings).to.deep.equal([]);
  });

  it('FAILs ECDHE CBC alone: no clean suite is negotiated first', async () => {
    const web = await startTlsNginx(HOST, certs.leaf, 'cbc-only');
    daemons.push(web);
    const { check } = await protection([{ name: 'web', protocol: 'https', port: web.port, auth: 'basic', trustAnchors: [certs.root.certFile] }]);
    expect(check('web').verdict).to.equal('FAIL');
    expect(check('web').reason).to.match(/^accepts TLS_ECDHE_\w+_CBC_\w+ on TLSv1\.2 \(CBC .*\), and no clean suite is offered on TLSv1\.2; /);
    expect(check('web').warnings).to.deep.equal([]);
  });

  it('FAILs a 1024-bit RSA certificate that nginx serves beside an ECDSA one, and PASSes a 2048-bit one there', async () => {
    const weak = await startDualCertificateNginx(HOST, certs.leafEc, certs.weak);
    daemons.push(weak);
    const service = (port: number) => [{ name: 'web', protocol: 'https', port, auth: 'basic', trustAnchors: [certs.root.certFile] }];
    const { check } = await protection(service(weak.port));
    expect(check('web').verdict, check('web').reason).to.equal('FAIL');
    expect(check('web').reason).to.equal(
      'certificate RSA key of 1024 bits (on the RSA suites); certificate signed with sha1 (sha1WithRSAEncryption) (on the RSA suites) (rules crypto-2026.12)',
    );
    const observation = check('web').evidence.find((e) => e.kind === 'observation')!;
    // The hello offering every suite got the ECDSA certificate; the RSA one took a hello of its own.
    expect(observation.summary).to.include("certificate EC 256 bits, until 2050-01-01; RSA suites' certificate RSA 1024 bits, until 2050-01-01; ");
    expect(observation.data!.certificateMessage).to.include({ version: 'TLSv1.2', content: 'chain' }).and.have.property('suite').that.matches(/^TLS_ECDHE_ECDSA_/);
    const others = observation.data!.otherCertificates as Array<{ kind: string; certificateMessage: { suite: string } }>;
    expect(others.map((o) => o.kind)).to.deep.equal(['RSA']);
    expect(others[0]!.certificateMessage.suite).to.match(/^TLS_ECDHE_RSA_/);

    const strong = await startDualCertificateNginx(HOST, certs.leafEc, certs.leaf);
    daemons.push(strong);
    const good = await protection(service(strong.port));
    expect(good.check('web').verdict, good.check('web').reason).to.equal('PASS');
    expect(good.check('web').reason).to.match(/^web: every TLS version, suite and group accepted and the certificates of 2 kinds of suite pass the rules \(evidence #\d+\)/);
  });

  it('FAILs an expired certificate with the date it expired', async () => {
    const web = await startTlsNginx(HOST, certs.expired, 'modern');
    daemons.push(web);
    const { check } = await protection([{ name: 'web', protocol: 'https', port: web.port, auth: 'basic', trustAnchors: [certs.root.certFile] }]);
    expect(check('web').verdict).to.equal('FAIL');
    expect(check('web').reason).to.include('certificate expired on 2024-01-01');
  });

  it('leaves an unanchored self-signed certificate to a person, and PASSes it when the profile pins it', async () => {
    const web = await startTlsNginx(HOST, certs.selfSigned, 'modern');
    daemons.push(web);
    const loose = await protection([{ name: 'web', protocol: 'https', port: web.port, auth: 'basic' }]);
    expect(loose.check('web').verdict).to.equal('MANUAL');
    const pinned = await protection([{ name: 'web', protocol: 'https', port: web.port, auth: 'basic', trustAnchors: [certs.selfSigned.certFile] }]);
    expect(pinned.check('web').verdict).to.equal('PASS');
  });

  it('detects libcoap without DTLS as plaintext, both as declared CoAP and as a port declared CoAPS', async () => {
    const plain = await startCoapServer({ host: HOST, security: 'none' });
    daemons.push(plain);
    const asCoap = await protection([{ name: 'sensors', protocol: 'coap', port: plain.port, auth: 'none' }]);
    expect(asCoap.check('sensors', 'plaintext').verdict).to.equal('FAIL');
    expect(asCoap.check('sensors', 'plaintext').reason).to.include('CoAP without DTLS answers');
    const asCoaps = await protection([{ name: 'sensors', protocol: 'coaps', port: plain.port, auth: 'psk' }]);
    expect(asCoaps.check('sensors').verdict).to.equal('FAIL');
    expect(asCoaps.check('sensors').reason).to.include('not in DTLS');
  });
});
