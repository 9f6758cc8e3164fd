import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunOutcome } from '../../harness/engine/run.js';
import { requireBinaries } from '../support/daemons.js';
import { startLighttpd, type Lighttpd } from '../support/lighttpd.js';
import { startNginx, type Nginx } from '../support/nginx.js';
import { DEVICE, runProfile, tempDir } from '../support/run-profile.js';

const PASSWORD = randomBytes(15).toString('base64url');

function webProfile(host: string, port: number) {
  return {
    device: DEVICE,
    target: { host },
    scope: [`${host}/32`],
    services: [{ name: 'web', protocol: 'http', port, auth: 'basic', credential: 'admin', paths: ['/admin/'] }],
    credentials: { admin: { username: 'admin', password: '${env:FIXTURE_WEB_PASSWORD}' } },
  };
}

function logLines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

function exchanges(run: RunOutcome): number {
  return run.results.checks.flatMap((c) => c.evidence).filter((e) => e.kind === 'exchange').length;
}

function bruteForce(run: RunOutcome) {
  const check = run.results.checks.find((c) => c.id === 'S1.1-04/brute-force/web')!;
  const observation = check.evidence.find((e) => e.kind === 'observation')!;
  return { check, data: observation.data!, observation };
}

describe('S1.1-04 against real web servers', function () {
  this.timeout(120000);

  describe('nginx with auth_basic and limit_req (1 r/s)', () => {
    let nginx: Nginx;
    let run: RunOutcome;
    before(async function () {
      requireBinaries(this, { nginx: 'nginx-light', openssl: 'openssl' });
      const htpasswd = join(tempDir(), 'htpasswd');
      writeFileSync(htpasswd, `admin:${execFileSync('openssl', ['passwd', '-apr1', '-stdin'], { input: PASSWORD }).toString().trim()}\n`);
      nginx = await startNginx(
        '127.0.83.1',
        'limit_req_zone $binary_remote_addr zone=login:1m rate=1r/s;',
        `location /admin/ { limit_req zone=login; limit_req_status 429; auth_basic "camera"; auth_basic_user_file ${htpasswd}; }`,
      );
      run = await runProfile(webProfile(nginx.host, nginx.port), { only: ['S1.1-04'], env: { FIXTURE_WEB_PASSWORD: PASSWORD } });
    });
    after(() => nginx?.stop());

    it('PASSes with a rate-limit classification and a projected figure under the policy limit', () => {
      const { check, data } = bruteForce(run);
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(data.mechanism).to.equal('rate-limit');
      expect(data.projectedGuessesPerDay as number).to.be.at.most(100000);
      expect(check.reason).to.match(/^web: rate-limit; held off after 1 wrong guess\(es\), and the correct credential, accepted just before the burst, was refused too \(HTTP 429\); it cleared after [\d.]+ s; [\d,]+ guesses\/day projected \(policy limit 100,000\)$/);
    });

    it('keeps the per-attempt CSV as evidence', () => {
      const { observation } = bruteForce(run);
      const csv = readFileSync(join(run.runDir, observation.artifacts[0]!.path), 'utf8').split('\r\n');
      expect(csv[0]).to.equal('index,phase,start_ms,latency_ms,outcome,detail,failure,lockout_signal,evidence_seq');
      expect(csv.filter((l) => /,confirm,/.test(l))).to.have.length(1);
    });

    it('made exactly the attempts it recorded, by nginx\'s own access log, within the budget', () => {
      expect(logLines(nginx.accessLog)).to.equal(exchanges(run));
      expect(bruteForce(run).data.attempts as number).to.be.at.most(1 + 30 + 1 + 10);
    });
  });

  describe('nginx with auth_basic and no limit_req', () => {
    let nginx: Nginx;
    let run: RunOutcome;
    before(async function () {
      requireBinaries(this, { nginx: 'nginx-light', openssl: 'openssl' });
      const htpasswd = join(tempDir(), 'htpasswd');
      writeFileSync(htpasswd, `admin:${execFileSync('openssl', ['passwd', '-apr1', '-stdin'], { input: PASSWORD }).toString().trim()}\n`);
      nginx = await startNginx('127.0.83.3', '', `location /admin/ { auth_basic "camera"; auth_basic_user_file ${htpasswd}; }`);
      run = await runProfile(webProfile(nginx.host, nginx.port), { only: ['S1.1-04'], env: { FIXTURE_WEB_PASSWORD: PASSWORD } });
    });
    after(() => nginx?.stop());

    it('FAILs with no protection seen, at jcstar\'s own pace, with the figure as a lower bound', () => {
      const { check, data } = bruteForce(run);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(data.mechanism).to.equal('none');
      expect(check.reason).to.match(/^web: no brute-force protection seen; 20 wrong guesses refused promptly .*; at jcstar's own limit of 5 attempts\/s, so the figure is a lower bound; [\d,]+ guesses\/day projected \(policy limit 100,000\)$/);
      expect(logLines(nginx.accessLog)).to.equal(exchanges(run));
    });
  });

  describe('lighttpd with Basic auth, unthrottled (auth.delay-invalid-creds disabled)', () => {
    let lighttpd: Lighttpd;
    let accessLog: string;
    let run: RunOutcome;
    before(async function () {
      requireBinaries(this, { lighttpd: 'lighttpd' });
      const dir = tempDir();
      writeFileSync(join(dir, 'users'), `admin:${PASSWORD}\n`);
      accessLog = join(dir, 'access.log');
      lighttpd = await startLighttpd(
        '127.0.83.4',
        `server.modules += ("mod_auth", "mod_authn_file", "mod_accesslog")
server.feature-flags += ("auth.delay-invalid-creds" => "disable")
auth.backend = "plain"
auth.backend.plain.userfile = "${join(dir, 'users')}"
auth.require = ( "/admin/" => ( "method" => "basic", "realm" => "camera", "require" => "valid-user" ) )
accesslog.filename = "${accessLog}"`,
        { 'admin/index.html': '<!DOCTYPE html><title>admin</title>\n' },
      );
      run = await runProfile(webProfile(lighttpd.host, lighttpd.port), { only: ['S1.1-04'], env: { FIXTURE_WEB_PASSWORD: PASSWORD } });
      await lighttpd.stop();
    });
    after(() => lighttpd?.stop());

    it('FAILs with no protection seen and a projected guesses-per-day figure', () => {
      const { check, data } = bruteForce(run);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(data.mechanism).to.equal('none');
      expect(data.projectedGuessesPerDay as number).to.be.above(100000);
      expect(check.reason).to.match(/^web: no brute-force protection seen; 20 wrong guesses refused promptly .*; [\d,]+ guesses\/day projected \(policy limit 100,000\)$/);
      expect(logLines(accessLog)).to.equal(exchanges(run));
    });
  });

  describe('lighttpd with Basic auth and its default per-request delay', () => {
    let lighttpd: Lighttpd;
    let accessLog: string;
    let run: RunOutcome;
    before(async function () {
      requireBinaries(this, { lighttpd: 'lighttpd' });
      const dir = tempDir();
      writeFileSync(join(dir, 'users'), `admin:${PASSWORD}\n`);
      lighttpd = await startLighttpd(
        '127.0.83.2',
        `server.modules += ("mod_auth", "mod_authn_file", "mod_accesslog")
auth.backend = "plain"
auth.backend.plain.userfile = "${join(dir, 'users')}"
auth.require = ( "/admin/" => ( "method" => "basic", "realm" => "camera", "require" => "valid-user" ) )
accesslog.filename = "${join(dir, 'access.log')}"`,
        { 'admin/index.html': '<!DOCTYPE html><title>admin</title>\n' },
      );
      accessLog = join(dir, 'access.log');
      run = await runProfile(webProfile(lighttpd.host, lighttpd.port), { only: ['S1.1-04'], env: { FIXTURE_WEB_PASSWORD: PASSWORD } });
      // lighttpd buffers its access log; stopping it flushes every line.
      await lighttpd.stop();
    });
    after(() => lighttpd?.stop());

    it('FAILs: its 1 s delay per failed login holds back one connection, not four at once', () => {
      const { check, data } = bruteForce(run);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(data.mechanism).to.equal('rate-limit');
      expect(data.projectedGuessesPerDay as number).to.be.above(100000);
      expect(check.reason).to.match(/^web: rate-limit too weak; every refusal took a median \d+ ms; but 4 connections at once reached [\d,]+ guesses\/day \(one at a time: [\d,]+\), so the hold-back is per connection; [\d,]+ guesses\/day projected \(policy limit 100,000\)$/);
    });

    it('sent exactly the attempt budget, by lighttpd\'s own access log', () => {
      expect(logLines(accessLog)).to.equal(exchanges(run));
      // The baseline, 30 wrong guesses and the correct credential after them.
      expect(exchanges(run)).to.equal(1 + 30 + 1);
      expect(bruteForce(run).data.timeline as unknown[]).to.have.length(32);
    });
  });
});
