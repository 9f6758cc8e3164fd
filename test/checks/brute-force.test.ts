import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { startFormLoginServer, type FormLoginServer } from '../../harness/simulator/fakes/form-login-server.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const HOST = '127.0.93.1';

function formProfile(port: number, unlockAfterSeconds?: number) {
  return {
    device: DEVICE,
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services: [{ name: 'web', protocol: 'http', port, auth: 'form', credential: 'admin', login: { page: '/login', path: '/login' } }],
    credentials: { admin: { username: 'admin', password: '${env:FIXTURE_FORM_PASSWORD}' } },
    ...(unlockAfterSeconds === undefined ? {} : { declarations: { bruteForceMitigation: { method: 'lockout', unlockAfterSeconds } } }),
  };
}

describe('S1.1-04 through an HTML form login with CSRF', function () {
  this.timeout(60000);
  const password = randomBytes(15).toString('base64url');
  let server: FormLoginServer;
  afterEach(() => server?.close());

  it('PASSes on a lockout that refuses the correct credential too, and confirms it cleared', async () => {
    server = await startFormLoginServer({ host: HOST, username: 'admin', password, lockoutAfter: 5, lockoutMs: 6000 });
    const { results } = await runProfile(formProfile(server.port, 6), { only: ['S1.1-04'], env: { FIXTURE_FORM_PASSWORD: password } });
    const check = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.match(/^web: lockout; held off after 5 wrong guess\(es\), and the correct credential, accepted just before the burst, was refused too \(.*\); it cleared after [\d.]+ s; [\d,]+ guesses\/day projected/);
    const confirmation = check.evidence.find((e) => e.data?.role === 'lockout-confirmation')!;
    expect(confirmation.data?.outcome).to.equal('locked');
    expect(check.evidence.filter((e) => e.data?.role === 'recovery').at(-1)!.data?.outcome).to.equal('accepted');
  });

  it('FAILs the same form without a lockout', async () => {
    server = await startFormLoginServer({ host: HOST, username: 'admin', password });
    const { results } = await runProfile(formProfile(server.port), { only: ['S1.1-04'], env: { FIXTURE_FORM_PASSWORD: password } });
    const check = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.evidence.filter((e) => e.data?.role === 'brute-force')).to.have.length(30);
    // The baseline, the 30 wrong guesses, and the correct credential after them.
    expect(server.attempts()).to.equal(1 + 30 + 1);
  });

  it('FAILs a fixed delay per failed login, which parallel connections get round', async () => {
    server = await startFormLoginServer({ host: HOST, username: 'admin', password, delayAfterFailureMs: 1200 });
    const { results } = await runProfile({ ...formProfile(server.port), policy: { bruteForce: { maxAttempts: 12, parallelAttempts: 4 } } }, { only: ['S1.1-04'], env: { FIXTURE_FORM_PASSWORD: password } });
    const check = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
    // A per-request delay alone is per connection: four connections at once get four times the rate.
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.contain('so the hold-back is per connection');
  });
});
