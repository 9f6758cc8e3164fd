import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { freePort, requireBinaries, startDaemon, type Daemon } from '../support/daemons.js';
import { DEVICE, runProfile, tempDir } from '../support/run-profile.js';

/** Real Mosquitto (Debian mosquitto) on a loopback address of its own, anonymous or with a password file. */
async function startMosquitto(host: string, users: Record<string, string> | 'anonymous'): Promise<Daemon & { port: number }> {
  const dir = tempDir('jcstar-mosquitto-');
  chmodSync(dir, 0o755);
  const port = await freePort(host);
  const lines = [`listener ${port} ${host}`, 'log_dest stderr', 'log_type all', 'persistence false'];
  if (users === 'anonymous') {
    lines.push('allow_anonymous true');
  } else {
    const file = join(dir, 'passwords');
    for (const [user, password] of Object.entries(users)) {
      execFileSync('mosquitto_passwd', [...(Object.keys(users)[0] === user ? ['-c'] : []), '-b', file, user, password], { stdio: 'ignore' });
    }
    chmodSync(file, 0o644);
    lines.push('allow_anonymous false', `password_file ${file}`);
  }
  writeFileSync(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
  const daemon = await startDaemon('mosquitto', ['-c', join(dir, 'mosquitto.conf')], host, port);
  return { ...daemon, port };
}

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
