import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { makeMutualTlsCertificates, type MutualTlsCertificates } from '../support/client-certificates.js';
import { freePort, requireBinaries, startDaemon } from '../support/daemons.js';
import { startMosquitto, type Mosquitto } from '../support/mosquitto.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const HOST = '127.0.61.1';
const PASSWORD = randomBytes(15).toString('base64url');

function profile(port: number, certificates: MutualTlsCertificates | null) {
  return {
    device: DEVICE,
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services: [{ name: 'broker', protocol: 'mqtts', port, auth: 'password', credential: 'hub' }],
    // The inventory scans the declared port only: these tests judge the logins, not the attack surface.
    policy: { portScan: { tcpPorts: '' } },
    credentials: {
      hub: {
        username: 'hub',
        password: '${env:BROKER_PASSWORD}',
        ...(certificates ? { clientCertificate: `\${file:${certificates.clientCertFile}}`, clientKey: `\${file:${certificates.clientKeyFile}}` } : {}),
      },
    },
  };
}

describe('Mosquitto behind mutual TLS (require_certificate true): the client certificate is positive evidence', function () {
  this.timeout(120000);
  let certificates: MutualTlsCertificates;
  let broker: Mosquitto;
  before(async function () {
    requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto', openssl: 'openssl' });
    certificates = makeMutualTlsCertificates(HOST);
    broker = await startMosquitto(HOST, { hub: PASSWORD }, {
      tls: { certFile: certificates.serverCertFile, keyFile: certificates.serverKeyFile, extra: [`cafile ${certificates.caFile}`, 'require_certificate true'] },
    });
  });
  after(() => broker?.stop());

  it('S1.1-01 and S1.1-04 PASS on the refused anonymous handshake, with alert 116 as evidence; S1.1-02 is NOT_APPLICABLE without the certificate', async () => {
    const { results } = await runProfile(profile(broker.port, null), { only: ['S1.1-01', 'S1.1-02', 'S1.1-04'], env: { BROKER_PASSWORD: PASSWORD } });
    const check = (id: string) => results.checks.find((c) => c.id === id)!;

    const access = check('S1.1-01/unauthenticated-access/broker');
    expect(access.verdict, access.reason).to.equal('PASS');
    expect(access.reason).to.match(
      /^broker: TLS demands a client certificate: the anonymous handshake was refused with alert 116 certificate_required \(evidence #\d+\); a self-signed certificate nobody issued was refused too \(alert 48 unknown_ca; evidence #\d+\)$/,
    );
    expect(access.evidence).to.have.length(2);
    expect(access.evidence[0]!.received).to.equal('alert 116 certificate_required');
    expect(access.evidence[0]!.data).to.include({ outcome: 'required', version: 'TLSv1.3' });
    expect(access.evidence[1]!.data).to.include({ outcome: 'refused' });

    const bruteForce = check('S1.1-04/brute-force/broker');
    expect(bruteForce.verdict, bruteForce.reason).to.equal('PASS');
    expect(bruteForce.reason).to.match(
      /^broker: no password can be tried without a client certificate: the handshake without one was refused with alert 116 certificate_required \(evidence #\d+\); a self-signed certificate nobody issued was refused too \(alert 48 unknown_ca; evidence #\d+\)$/,
    );
    expect(bruteForce.evidence).to.have.length(2);

    const defaults = check('S1.1-02/default-credentials/broker');
    expect(defaults.verdict, defaults.reason).to.equal('NOT_APPLICABLE');
    expect(defaults.reason).to.match(/^broker: no password can be tried without a client certificate: .*alert 116 certificate_required .*give the credential clientCertificate and clientKey/);
  });

  it('S1.1-02 runs its controls and the defaults through mutual TLS when the profile gives the client certificate', async () => {
    const { results } = await runProfile(profile(broker.port, certificates), { only: ['S1.1-02'], env: { BROKER_PASSWORD: PASSWORD } });
    const defaults = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/broker')!;
    expect(defaults.verdict, defaults.reason).to.equal('PASS');
    expect(defaults.reason).to.match(/^broker refused a random credential and all \d+ universal mqtt defaults/);
    const outcomes = defaults.evidence.map((e) => e.data?.outcome);
    // The negative control and every default refused by CONNACK 5, the positive control accepted before and after them: all behind the certificate.
    expect(outcomes[0]).to.equal('rejected');
    expect(outcomes[1]).to.equal('accepted');
    expect(outcomes.slice(2, -1).every((o) => o === 'rejected')).to.equal(true);
    expect(outcomes.at(-1)).to.equal('accepted');
    expect(defaults.evidence[0]!.received).to.equal('CONNACK code=5 (not authorized)');
    expect(JSON.stringify(results)).to.not.include(PASSWORD);
  });
});

describe('Mosquitto over TLS without require_certificate: the existing checks still fail it', function () {
  this.timeout(120000);
  let certificates: MutualTlsCertificates;
  before(function () {
    requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto', openssl: 'openssl' });
    certificates = makeMutualTlsCertificates(HOST);
  });

  it('S1.1-01 FAILs an anonymous broker over TLS, and S1.1-02 is not excused by TLS', async () => {
    const broker = await startMosquitto(HOST, 'anonymous', { tls: { certFile: certificates.serverCertFile, keyFile: certificates.serverKeyFile } });
    try {
      const { results } = await runProfile(profile(broker.port, null), { only: ['S1.1-01', 'S1.1-02'], env: { BROKER_PASSWORD: PASSWORD } });
      const access = results.checks.find((c) => c.id === 'S1.1-01/unauthenticated-access/broker')!;
      expect(access.verdict, access.reason).to.equal('FAIL');
      expect(access.reason).to.match(/^broker: # \(SUBACK granted QoS 0/);
      expect(access.evidence.some((e) => e.data?.outcome === 'required')).to.equal(false);
      const defaults = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/broker')!;
      expect(defaults.verdict).to.equal('INCONCLUSIVE');
      expect(defaults.reason).to.equal('broker accepted a random credential: it does not enforce authentication, so defaults prove nothing here (an S1.1-01 finding)');
    } finally {
      await broker.stop();
    }
  });
});

describe('A TLS server that demands a client certificate but accepts any (openssl s_server -Verify 1)', function () {
  this.timeout(120000);
  let certificates: MutualTlsCertificates;
  before(function () {
    requireBinaries(this, { openssl: 'openssl' });
    certificates = makeMutualTlsCertificates(HOST);
  });

  /** s_server -Verify requires a certificate; without -verify_return_error it goes on whatever the verification says. */
  async function sServer(verifies: boolean) {
    const port = await freePort(HOST);
    const args = ['s_server', '-accept', `${HOST}:${port}`, '-cert', certificates.serverCertFile, '-key', certificates.serverKeyFile, '-CAfile', certificates.caFile, '-Verify', '1', '-www'];
    return { port, daemon: await startDaemon('openssl', verifies ? [...args, '-verify_return_error'] : args, HOST, port) };
  }
  const httpsProfile = (port: number) => ({ ...profile(port, null), services: [{ name: 'web', protocol: 'https', port, auth: 'password', credential: 'hub' }] });

  it('S1.1-01 FAILs: it accepted a self-signed client certificate nobody issued; S1.1-04 does not PASS on the demand', async () => {
    const { port, daemon } = await sServer(false);
    try {
      const { results } = await runProfile(httpsProfile(port), { only: ['S1.1-01', 'S1.1-04'], env: { BROKER_PASSWORD: PASSWORD } });
      const access = results.checks.find((c) => c.id === 'S1.1-01/unauthenticated-access/web')!;
      expect(access.verdict, access.reason).to.equal('FAIL');
      expect(access.reason).to.match(
        /^web: TLS demands a client certificate \(the anonymous handshake was refused with alert 116 certificate_required \(evidence #\d+\)\), but it accepted a self-signed client certificate nobody issued \(TLSv1\.3 handshake completed with the certificate, and the server kept the session; evidence #\d+\)$/,
      );
      const bruteForce = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
      expect(bruteForce.verdict, bruteForce.reason).to.not.equal('PASS');
      expect(bruteForce.reason).to.not.include('no password can be tried');
    } finally {
      await daemon.stop();
    }
  });

  it('with -verify_return_error it refuses the self-signed certificate, and S1.1-01 PASSes', async () => {
    const { port, daemon } = await sServer(true);
    try {
      const { results } = await runProfile(httpsProfile(port), { only: ['S1.1-01'], env: { BROKER_PASSWORD: PASSWORD } });
      const access = results.checks.find((c) => c.id === 'S1.1-01/unauthenticated-access/web')!;
      expect(access.verdict, access.reason).to.equal('PASS');
      expect(access.reason).to.match(/; a self-signed certificate nobody issued was refused too \(alert \d+ [a-z_]+; evidence #\d+\)$/);
    } finally {
      await daemon.stop();
    }
  });
});
