import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { RunOutcome } from '../../harness/engine/run.js';
import { requireBinaries, requireRoot } from '../support/daemons.js';
import { startOpenSsh, type OpenSsh } from '../support/openssh.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

function sshProfile(host: string, port: number, username: string) {
  return {
    device: DEVICE,
    target: { host },
    scope: [`${host}/32`],
    services: [{ name: 'ssh', protocol: 'ssh', port, auth: 'password', credential: 'maint' }],
    credentials: { maint: { username, password: '${env:FIXTURE_SSH_PASSWORD}' } },
  };
}

/** Passwords OpenSSH checked, by its own log: one "Failed password" or "Accepted password" line each. */
function checkedPasswords(log: string): number {
  return (log.match(/Failed password for|Accepted password for/g) ?? []).length;
}

describe('S1.1-02 and S1.1-04 against real OpenSSH', function () {
  this.timeout(120000);
  before(function () {
    requireBinaries(this, { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  describe('unit whose maintenance account uses a universal default (support/support)', () => {
    let sshd: OpenSsh;
    let run: RunOutcome;
    before(async () => {
      sshd = await startOpenSsh('127.0.92.1', { support: 'support' });
      run = await runProfile(sshProfile(sshd.host, sshd.port, 'support'), { only: ['S1.1-02'], env: { FIXTURE_SSH_PASSWORD: 'support' } });
    });
    after(() => sshd?.stop());

    it('FAILs S1.1-02 on ssh-support-support, after the negative control was refused', () => {
      const check = run.results.checks.find((c) => c.id === 'S1.1-02/default-credentials/ssh')!;
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^ssh accepted the universal default credential ssh-support-support /);
      expect(check.evidence[0]!.data).to.include({ role: 'negative-control', outcome: 'rejected' });
    });

    it('made exactly the password attempts it recorded, by sshd\'s own log', () => {
      const exchanges = run.results.checks.flatMap((c) => c.evidence).filter((e) => e.kind === 'exchange').length;
      expect(checkedPasswords(sshd.authLog())).to.equal(exchanges);
    });
  });

  describe('unit with a unique password and no brute-force protection', () => {
    let sshd: OpenSsh;
    let run: RunOutcome;
    const password = randomBytes(15).toString('base64url');
    before(async () => {
      sshd = await startOpenSsh('127.0.92.2', { maint: password });
      run = await runProfile(sshProfile(sshd.host, sshd.port, 'maint'), { only: ['S1.1-02', 'S1.1-04'], env: { FIXTURE_SSH_PASSWORD: password } });
    });
    after(() => sshd?.stop());

    it('PASSes S1.1-02', () => {
      const check = run.results.checks.find((c) => c.id === 'S1.1-02/default-credentials/ssh')!;
      expect(check.verdict, check.reason).to.equal('PASS');
    });

    it('FAILs S1.1-04 with no protection seen and a projected guesses-per-day figure', () => {
      const check = run.results.checks.find((c) => c.id === 'S1.1-04/brute-force/ssh')!;
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^ssh: no brute-force protection seen; .*[\d,]+ guesses\/day projected \(policy limit 100,000\)$/);
      const confirmation = check.evidence.find((e) => e.data?.role === 'lockout-confirmation')!;
      expect(confirmation.data?.outcome).to.equal('accepted');
    });

    it('stays within the attempt budgets, by sshd\'s own log', () => {
      const exchanges = run.results.checks.flatMap((c) => c.evidence).filter((e) => e.kind === 'exchange').length;
      expect(checkedPasswords(sshd.authLog())).to.equal(exchanges);
      const guesses = run.results.checks.flatMap((c) => c.evidence).filter((e) => e.data?.role === 'brute-force').length;
      expect(guesses).to.equal(30);
    });
  });
});
