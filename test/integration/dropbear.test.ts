import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { RunOutcome } from '../../harness/engine/run.js';
import { requireBinaries, requireRoot } from '../support/daemons.js';
import { startDropbear, type Dropbear } from '../support/dropbear.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

function sshProfile(host: string, port: number, credential?: { username: string }) {
  return {
    device: DEVICE,
    target: { host },
    scope: [`${host}/32`],
    services: [{ name: 'ssh', protocol: 'ssh', port, auth: 'password', ...(credential ? { credential: 'maint' } : {}) }],
    ...(credential ? { credentials: { maint: { username: credential.username, password: '${env:FIXTURE_SSH_PASSWORD}' } } } : {}),
  };
}

/** Authentication attempts as Dropbear logs them: one line per password tried. */
function loggedAttempts(log: string): number {
  return (log.match(/Bad password attempt|Login attempt for nonexistent user|Password auth succeeded/g) ?? []).length;
}

describe('S1.1-02 against real Dropbear', function () {
  this.timeout(60000);
  before(function () {
    requireBinaries(this, { dropbear: 'dropbear-bin', dropbearkey: 'dropbear-bin', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  describe('unit with a universal default password (ubnt/ubnt)', () => {
    let daemon: Dropbear;
    let run: RunOutcome;
    before(async () => {
      daemon = await startDropbear('127.0.77.1', { ubnt: 'ubnt' });
      run = await runProfile(sshProfile('127.0.77.1', daemon.port), { only: ['S1.1-02'] });
    });
    after(() => daemon?.stop());

    it('FAILs, naming the accepted default, after the negative control was refused', () => {
      const check = run.results.checks.find((c) => c.id === 'S1.1-02/default-credentials/ssh')!;
      expect(check.verdict).to.equal('FAIL');
      expect(check.reason).to.match(/^ssh accepted the universal default credential ssh-ubnt-ubnt \(user "ubnt"; source: Ubiquiti/);
      expect(check.evidence[0]!.data).to.include({ role: 'negative-control', outcome: 'rejected' });
      const accepted = check.evidence.find((e) => e.data?.outcome === 'accepted')!;
      expect(accepted.received).to.contain('USERAUTH_SUCCESS');
      expect(accepted.sent).to.contain('password=[REDACTED:default:ssh-ubnt-ubnt]');
    });

    it('made exactly as many attempts as the evidence records, by Dropbear\'s own log', () => {
      const exchanges = run.results.checks.flatMap((c) => c.evidence).filter((e) => e.kind === 'exchange').length;
      expect(loggedAttempts(daemon.log())).to.equal(exchanges);
    });
  });

  describe('unit with a unique strong password', () => {
    let daemon: Dropbear;
    let run: RunOutcome;
    const password = randomBytes(15).toString('base64url');
    before(async () => {
      daemon = await startDropbear('127.0.77.2', { maint: password });
      run = await runProfile(sshProfile('127.0.77.2', daemon.port, { username: 'maint' }), { only: ['S1.1-02'], env: { FIXTURE_SSH_PASSWORD: password } });
    });
    after(() => daemon?.stop());

    it('PASSes with negative and positive controls and every ssh default refused', () => {
      const check = run.results.checks.find((c) => c.id === 'S1.1-02/default-credentials/ssh')!;
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.evidence.slice(0, 2).map((e) => [e.data?.role, e.data?.outcome])).to.deep.equal([
        ['negative-control', 'rejected'],
        ['positive-control', 'accepted'],
      ]);
      expect(check.reason).to.equal('ssh refused a random credential and all 10 universal ssh defaults of list defaults-2026.11');
    });

    it('stays within the attempt budget by Dropbear\'s own log', () => {
      const attempts = loggedAttempts(daemon.log());
      // The negative control, the positive control before and after the 10 ssh defaults.
      expect(attempts).to.equal(13);
      expect(attempts).to.be.at.most(3 + 20);
    });
  });
});
