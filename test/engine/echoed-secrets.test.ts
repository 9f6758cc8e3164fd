import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunOutcome } from '../../harness/engine/run.js';
import { startEchoLoginServer, type EchoLoginServer } from '../../harness/simulator/fakes/echo-login-server.js';
import { CANARY, leaksIn } from '../support/canary.js';
import { expectValidRunFolder, filesUnder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const MARKER = '[REDACTED:credentials.admin.password]';

describe('a device that echoes the password back, in every encoding, leaves no trace of it in the run folder', function () {
  this.timeout(180000);
  const host = '127.0.0.1';
  let servers: EchoLoginServer[] = [];
  let run: RunOutcome;

  before(async () => {
    const [formEcho, basicEcho, reRender] = await Promise.all([
      startEchoLoginServer({ host, kind: 'echo-request', username: 'admin', password: CANARY }),
      startEchoLoginServer({ host, kind: 'echo-request', username: 'admin', password: CANARY }),
      startEchoLoginServer({ host, kind: 're-render-form', username: 'admin', password: CANARY }),
    ]);
    servers = [formEcho!, basicEcho!, reRender!];
    const profile = {
      device: DEVICE,
      target: { host },
      scope: ['127.0.0.1/32'],
      services: [
        { name: 'echo-form', protocol: 'http', port: formEcho!.port, auth: 'form', credential: 'admin', login: { path: '/login', page: '/login', successPattern: 'Welcome', failurePattern: 'Login failed' } },
        { name: 'echo-basic', protocol: 'http', port: basicEcho!.port, auth: 'basic', credential: 'admin', paths: ['/admin'] },
        { name: 're-render', protocol: 'http', port: reRender!.port, auth: 'form', credential: 'admin', login: { path: '/login', successPattern: 'Welcome', failurePattern: 'Invalid username or password' } },
      ],
      credentials: { admin: { username: 'admin', password: '${env:ADMIN_PASSWORD}' } },
      policy: {
        rateLimit: { authAttemptsPerSecond: 50 },
        budgets: { replyTimeoutMs: 2000, connectTimeoutMs: 1000, checkMs: 30000 },
        bruteForce: { maxAttempts: 8, parallelAttempts: 4, maxUnlockWaitMs: 2000 },
        portScan: { tcpPorts: [formEcho!.port, basicEcho!.port, reRender!.port].join(',') },
      },
    };
    run = await runProfile(profile, { env: { ADMIN_PASSWORD: CANARY } });
  });
  after(() => Promise.all(servers.map((s) => s.close())));

  it('logs in with the canary: each login accepted it in its positive control', () => {
    for (const name of ['echo-form', 'echo-basic', 're-render']) {
      const check = run.results.checks.find((c) => c.id === `S1.1-02/default-credentials/${name}`)!;
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.evidence.find((e) => e.data?.role === 'positive-control')!.data?.outcome).to.equal('accepted');
    }
  });

  it('recorded what each device echoed, with the canary replaced by its marker', () => {
    const received = (name: string) => run.results.checks.find((c) => c.id === `S1.1-02/default-credentials/${name}`)!.evidence.find((e) => e.data?.role === 'positive-control')!.received ?? '';
    expect(received('echo-form')).to.contain(`password=${MARKER}`).and.contain('Welcome');
    expect(received('echo-basic')).to.contain(`Basic credential: admin:${MARKER}`);
    expect(received('re-render')).to.contain(`name="password" value="${MARKER}"`);
    const log = readFileSync(join(run.runDir, 'evidence.jsonl'), 'utf8');
    expect(log).to.contain('Login failed').and.contain('Invalid username or password');
  });

  it('has the canary in no file of the run folder, in any encoding', () => {
    expect(filesUnder(run.runDir).length).to.be.greaterThan(4);
    expect(leaksIn(run.runDir, CANARY)).to.deep.equal([]);
    expectValidRunFolder(run.runDir);
  });

  it('gives every check a verdict with a reason', () => {
    for (const check of run.results.checks) {
      expect(check.verdict, check.id).to.be.a('string');
      expect(check.reason, check.id).to.be.a('string').and.not.equal('');
    }
  });
});
