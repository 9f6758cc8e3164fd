import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { requireBinaries } from '../support/daemons.js';
import { startMosquitto } from '../support/mosquitto.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const mqttProfile = (host: string, port: number) => ({
  device: DEVICE,
  target: { host },
  scope: [`${host}/32`],
  services: [{ name: 'telemetry', protocol: 'mqtt', port, auth: 'password' }],
});

describe('S1.1-02 against real Mosquitto', function () {
  this.timeout(60000);
  before(function () {
    requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto' });
  });

  it('is INCONCLUSIVE on allow_anonymous: a broker that takes any credential proves nothing about defaults', async () => {
    const daemon = await startMosquitto('127.0.78.1', 'anonymous');
    try {
      const { results } = await runProfile(mqttProfile('127.0.78.1', daemon.port), { only: ['S1.1-02'] });
      const check = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/telemetry')!;
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.equal('telemetry accepted a random credential: it does not enforce authentication, so defaults prove nothing here (an S1.1-01 finding)');
      expect(check.evidence).to.have.length(1);
      expect(check.evidence[0]!.received).to.equal('CONNACK code=0 sessionPresent=false');
    } finally {
      await daemon.stop();
    }
  });

  it('FAILs when the password file holds admin/admin, judged by the CONNACK return code', async () => {
    const daemon = await startMosquitto('127.0.78.2', { admin: 'admin' });
    try {
      const { results } = await runProfile(mqttProfile('127.0.78.2', daemon.port), { only: ['S1.1-02'] });
      const check = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/telemetry')!;
      expect(check.verdict).to.equal('FAIL');
      expect(check.reason).to.match(/^telemetry accepted the universal default credential mqtt-admin-admin /);
      expect(check.evidence[0]!.received).to.equal('CONNACK code=5 (not authorized)');
    } finally {
      await daemon.stop();
    }
  });

  it('PASSes when the only user has a strong password', async () => {
    const daemon = await startMosquitto('127.0.78.3', { sensor: randomBytes(15).toString('base64url') });
    try {
      const { results } = await runProfile(mqttProfile('127.0.78.3', daemon.port), { only: ['S1.1-02'] });
      const check = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/telemetry')!;
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.evidence.filter((e) => e.data?.outcome === 'rejected')).to.have.length(7);
    } finally {
      await daemon.stop();
    }
  });
});
