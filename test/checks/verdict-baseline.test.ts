import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { expect } from 'chai';
import { send, serveHttp } from '../../harness/simulator/http-server.js';
import { startFormLoginServer, type FormLoginServer } from '../../harness/simulator/fakes/form-login-server.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const HOST = '127.0.94.1';
const PASSWORD = randomBytes(15).toString('base64url');

function basicProfile(port: number, extra: Record<string, unknown> = {}) {
  return {
    device: DEVICE,
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services: [{ name: 'web', protocol: 'http', port, auth: 'basic', credential: 'admin', paths: ['/admin/'] }],
    credentials: { admin: { username: 'admin', password: '${env:FIXTURE_PASSWORD}' } },
    ...extra,
  };
}

function authorized(req: IncomingMessage, password: string): boolean {
  return req.headers.authorization === `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
}

/** A Basic-auth web UI whose handler decides each answer; counts the requests that carried credentials. */
async function basicServer(answer: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  let logins = 0;
  const server = await serveHttp(async (req, res) => {
    if (req.headers.authorization) logins++;
    answer(req, res, logins);
  }, { host: HOST });
  return { port: server.port, logins: () => logins, close: () => server.close() };
}

const challenge = (res: ServerResponse) => send(res, 401, 'text/plain', 'who are you?\n', { 'WWW-Authenticate': 'Basic realm="camera"' });

describe('verdicts rest on what was established', function () {
  this.timeout(120000);
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  describe('S1.1-04 baseline: the declared credential must be accepted before any wrong guess', () => {
    it('is INCONCLUSIVE, never a lockout or PASS, on a server that refuses every login', async () => {
      const server = await basicServer((_req, res) => challenge(res));
      close = server.close;
      const { results } = await runProfile(basicProfile(server.port), { only: ['S1.1-04'], env: { FIXTURE_PASSWORD: PASSWORD } });
      const check = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^web: the declared credential "admin" was refused before any wrong guess \(HTTP 401, evidence #\d+\); check the profile\. A login that refuses everything cannot be told from a locked one, so no wrong guess was sent$/);
      expect(server.logins()).to.equal(1);
      expect(check.evidence.filter((e) => e.data?.role === 'brute-force')).to.have.length(0);
      expect(results.requirements.find((r) => r.id === 'S1.1-04')!.verdict).to.equal('INCONCLUSIVE');
    });

    it('is INCONCLUSIVE when the profile carries a wrong password, and sends no wrong guess', async () => {
      let form: FormLoginServer | null = await startFormLoginServer({ host: HOST, username: 'admin', password: `${PASSWORD}-real`, lockoutAfter: 5, lockoutMs: 60000 });
      close = async () => {
        await form?.close();
        form = null;
      };
      const profile = {
        ...basicProfile(form.port),
        services: [{ name: 'web', protocol: 'http', port: form.port, auth: 'form', credential: 'admin', login: { page: '/login', path: '/login' } }],
      };
      const { results } = await runProfile(profile, { only: ['S1.1-04'], env: { FIXTURE_PASSWORD: PASSWORD } });
      const check = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^web: the declared credential "admin" was refused before any wrong guess/);
      expect(form.attempts()).to.equal(1);
    });

    it('sends nothing and says why when the profile declares no credential', async () => {
      const server = await basicServer((_req, res) => challenge(res));
      close = server.close;
      const profile = { ...basicProfile(server.port), services: [{ name: 'web', protocol: 'http', port: server.port, auth: 'basic', paths: ['/admin/'] }], credentials: {} };
      const { results } = await runProfile(profile, { only: ['S1.1-04'] });
      const check = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^web: the profile declares no credential for it \(services\[\]\.credential\)/);
      expect(server.logins()).to.equal(0);
    });

    it('stops the burst when the service stops answering, instead of spending every attempt into silence', async () => {
      const server = await basicServer((req, res, n) => {
        if (n === 1 && authorized(req, PASSWORD)) send(res, 200, 'text/plain', 'welcome\n');
        else req.socket.destroy();
      });
      close = server.close;
      const { results } = await runProfile(basicProfile(server.port), { only: ['S1.1-04'], env: { FIXTURE_PASSWORD: PASSWORD } });
      const check = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^web stopped answering after 3 attempt\(s\) \(.*\), although it had just accepted the declared credential; nothing to measure$/);
      expect(server.logins()).to.equal(4);
    });
  });

  describe('checks that share a login do not spoil each other', () => {
    /** A web UI that takes one login a second from anyone and answers 429 with Retry-After to the rest. */
    async function rateLimited(ratePerSecond: number) {
      let nextAllowed = 0;
      return basicServer((req, res) => {
        const now = Date.now();
        if (now < nextAllowed) return send(res, 429, 'text/plain', 'slow down\n', { 'Retry-After': '1' });
        nextAllowed = now + 1000 / ratePerSecond;
        if (!req.headers.authorization) return challenge(res);
        return authorized(req, PASSWORD) ? send(res, 200, 'text/plain', 'welcome\n') : challenge(res);
      });
    }

    it('default-credential trials wait out 429s and try every default; S1.1-04 then starts from a recovered baseline', async () => {
      const server = await rateLimited(1);
      close = server.close;
      const profile = basicProfile(server.port, { policy: { defaultCredentials: { maxAttemptsPerService: 6 }, bruteForce: { maxAttempts: 8, parallelAttempts: 2 } } });
      const { results } = await runProfile(profile, { only: ['S1.1-02', 'S1.1-04'], env: { FIXTURE_PASSWORD: PASSWORD } });
      const defaults = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/web')!;
      expect(defaults.verdict, defaults.reason).to.equal('PASS');
      expect(defaults.reason).to.match(/^web refused a random credential and all 6 universal http defaults of list .*; it held jcstar off, which waited \d+ s in all$/);
      expect(defaults.evidence.filter((e) => e.data?.role === 'default' && e.data?.outcome === 'rejected')).to.have.length(6);
      expect(defaults.evidence.some((e) => e.kind === 'note' && /is held off \(locked: HTTP 429 Retry-After: 1/.test(e.summary))).to.equal(true);
      const bruteForce = results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
      expect(bruteForce.verdict, bruteForce.reason).to.equal('PASS');
      const baseline = bruteForce.evidence.filter((e) => e.data?.role === 'positive-control');
      expect(baseline.at(-1)!.data?.outcome).to.equal('accepted');
    });

    it('says how many defaults were tried when the waiting budget runs out', async () => {
      const server = await basicServer((req, res, n) => (n <= 2 ? challenge(res) : send(res, 429, 'text/plain', 'locked\n', { 'Retry-After': '1' })));
      close = server.close;
      const profile = { ...basicProfile(server.port, { policy: { holdOff: { budgetMs: 3000 } } }), services: [{ name: 'web', protocol: 'http', port: server.port, auth: 'basic', paths: ['/admin/'] }], credentials: {} };
      const { results } = await runProfile(profile, { only: ['S1.1-02'] });
      const check = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/web')!;
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^web: 1 of \d+ defaults tried, none accepted; the rest could not be tried: web is held off \(locked: HTTP 429 Retry-After: 1, left by S1\.1-02\/default-credentials\/web\); [\d.]+ s of 3 s waited so far, and it had not recovered within the budget \(policy\.holdOff\.budgetMs\)$/);
    });
  });
});

describe('verdicts rest on what was established: devices that hide what happened', function () {
  this.timeout(120000);
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it('S1.1-02 is INCONCLUSIVE when the declared credential is refused after the defaults (a silent lockout)', async () => {
    let failures = 0;
    const server = await basicServer((req, res) => {
      // Accepts the right password until 3 wrong ones, then answers "wrong password" to everything.
      if (authorized(req, PASSWORD) && failures < 3) return send(res, 200, 'text/plain', 'welcome\n');
      if (req.headers.authorization) failures++;
      return challenge(res);
    });
    close = server.close;
    const { results } = await runProfile(basicProfile(server.port, { policy: { defaultCredentials: { maxAttemptsPerService: 5 } } }), { only: ['S1.1-02'], env: { FIXTURE_PASSWORD: PASSWORD } });
    const check = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/web')!;
    expect(check.verdict).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/^the declared credential "admin" was refused on web after the defaults \(HTTP 401, evidence #\d+\), though accepted before them: a silent lockout may have refused a default that works, so none is ruled out$/);
  });

  it('paces a device that answers 429 with Retry-After: 0 instead of retrying back to back', async () => {
    const server = await basicServer((req, res, n) => (n <= 2 && !authorized(req, PASSWORD) ? challenge(res) : send(res, 429, 'text/plain', 'busy\n', { 'Retry-After': '0' })));
    close = server.close;
    const profile = { ...basicProfile(server.port, { policy: { holdOff: { budgetMs: 3000, firstPollMs: 500 } } }), services: [{ name: 'web', protocol: 'http', port: server.port, auth: 'basic', paths: ['/admin/'] }], credentials: {} };
    const { results } = await runProfile(profile, { only: ['S1.1-02'] });
    const check = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/web')!;
    expect(check.verdict).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/had not recovered within the budget \(policy\.holdOff\.budgetMs\)$/);
    // Pauses of 0.5, 1 and 1.5 s fit the 3 s budget: the negative control, one default, then three retries at most.
    expect(server.logins()).to.be.at.most(2 + 4);
  });

  it('S1.1-04 does not call a device that drops connections and comes back a lockout unless the profile declares one', async () => {
    let wrong = 0;
    let downUntil = 0;
    const server = await basicServer((req, res) => {
      if (Date.now() < downUntil) return void req.socket.destroy();
      if (authorized(req, PASSWORD)) return send(res, 200, 'text/plain', 'welcome\n');
      if (++wrong % 3 === 0) downUntil = Date.now() + 2500;
      return challenge(res);
    });
    close = server.close;
    const declared = { declarations: { bruteForceMitigation: { method: 'lockout' } } };
    const undeclared = await runProfile(basicProfile(server.port), { only: ['S1.1-04'], env: { FIXTURE_PASSWORD: PASSWORD } });
    const check = undeclared.results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
    expect(check.verdict).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/^web stopped answering after \d+ wrong guess\(es\) \(.*\) and answered again after [\d.]+ s: a lockout that drops connections cannot be told from a device that restarted; declare bruteForceMitigation to have it judged as one$/);
    wrong = 0;
    downUntil = Date.now() + 3000;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const withDeclaration = await runProfile(basicProfile(server.port, declared), { only: ['S1.1-04'], env: { FIXTURE_PASSWORD: PASSWORD } });
    const judged = withDeclaration.results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
    expect(judged.verdict, judged.reason).to.be.oneOf(['PASS', 'FAIL']);
    expect(judged.reason).to.match(/^web: (lockout|rate-limit)/);
  });
});
