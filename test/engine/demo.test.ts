import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { exitCodeFor } from '../../harness/cli/exit-codes.js';
import type { RunOutcome } from '../../harness/engine/run.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../harness/simulator/device.js';
import { validateResultsJson } from '../support/results-schema.js';
import { expectValidRunFolder, filesUnder } from '../support/run-folder.js';
import { runProfile } from '../support/run-profile.js';

async function demo(mode: 'secure' | 'insecure'): Promise<{ device: SimulatedDevice; run: RunOutcome }> {
  const device = await startSimulatedDevice({ mode });
  const { document, env } = device.profileDocument();
  const run = await runProfile(document, { env });
  return { device, run };
}

describe('demo against the built-in simulated device', function () {
  this.timeout(120000);

  describe('secure build', () => {
    let device: SimulatedDevice;
    let run: RunOutcome;
    before(async () => ({ device, run } = await demo('secure')));
    after(() => device.close());

    it('writes results.json valid against the published schema, with all 16 requirements', () => {
      const json = JSON.parse(readFileSync(join(run.runDir, 'results.json'), 'utf8'));
      expect(validateResultsJson(json)).to.deep.equal([]);
      expect(json.requirements).to.have.length(16);
    });

    it('writes the HTML report, JUnit XML and a manifest that hashes every file', () => {
      for (const f of ['report.html', 'junit.xml', 'evidence.jsonl', 'profile.yaml']) expect(existsSync(join(run.runDir, f)), f).to.equal(true);
      expectValidRunFolder(run.runDir);
    });

    it('gives no FAIL on S1.1-02, and each login passed its negative and positive controls', () => {
      const { results } = run;
      expect(results.requirements.find((r) => r.id === 'S1.1-02')!.verdict).to.not.equal('FAIL');
      const logins = results.checks.filter((c) => c.id.startsWith('S1.1-02/default-credentials/'));
      expect(logins.map((c) => c.id).sort()).to.deep.equal(['ssh', 'telemetry', 'web-admin'].map((s) => `S1.1-02/default-credentials/${s}`));
      for (const check of logins) {
        expect(check.verdict, check.reason).to.equal('PASS');
        const roles = check.evidence.map((e) => [e.data?.role, e.data?.outcome]);
        expect(roles[0]).to.deep.equal(['negative-control', 'rejected']);
        expect(roles[1]).to.deep.equal(['positive-control', 'accepted']);
        expect(roles.slice(2, -1).every(([role, outcome]) => role === 'default' && outcome === 'rejected')).to.equal(true);
        // The declared credential still works after the defaults: no silent lockout refused them.
        expect(roles.at(-1)).to.deep.equal(['positive-control', 'accepted']);
      }
      expect(exitCodeFor(results)).to.equal(0);
    });

    it('makes exactly the login attempts it records, as counted by the device itself, within the budgets', () => {
      for (const name of ['web-admin', 'ssh', 'telemetry']) {
        // The login checks. The others present no credential (S1.1-01's anonymous requests, S1.1-12's HSTS read), which the device does not count.
        const checks = run.results.checks.filter((c) => /^S1\.1-0[24]\//.test(c.id) && c.id.endsWith(`/${name}`));
        const recorded = checks.flatMap((c) => c.evidence).filter((e) => e.kind === 'exchange');
        // The update trial reads the firmware version and triggers checks on the web UI with the declared login.
        const port = device.services.find((s) => s.name === name)!.port;
        const updateLogins = run.results.checks.filter((c) => /^S1\.1-0[68]\//.test(c.id)).flatMap((c) => c.evidence).filter((e) => e.kind === 'exchange' && e.target?.port === port);
        expect(device.authAttempts[name], name).to.equal(recorded.length + updateLogins.length);
        const defaults = checks.find((c) => c.id.startsWith('S1.1-02/'))!.evidence.filter((e) => e.kind === 'exchange');
        // The negative control, the positive control before and after, and the 20 defaults.
        expect(defaults.length, name).to.be.at.most(3 + 20);
        const guesses = recorded.filter((e) => e.data?.role === 'brute-force');
        expect(guesses.length, name).to.be.at.most(30);
      }
    });

    it('PASSes S1.1-04 on a lockout confirmed by the refused correct credential, then waits it out', () => {
      expect(run.results.requirements.find((r) => r.id === 'S1.1-04')!.verdict).to.equal('PASS');
      for (const name of ['web-admin', 'ssh', 'telemetry']) {
        const check = run.results.checks.find((c) => c.id === `S1.1-04/brute-force/${name}`)!;
        expect(check.verdict, check.reason).to.equal('PASS');
        expect(check.reason).to.match(new RegExp(`^${name}: lockout; held off after \\d+ wrong guess\\(es\\), and the correct credential, accepted just before the burst, was refused too \\(.+\\); it cleared after [\\d.]+ s; [\\d,]+ guesses/day projected`));
        const confirmation = check.evidence.find((e) => e.data?.role === 'lockout-confirmation')!;
        expect(confirmation.data?.outcome).to.not.equal('accepted');
        expect(check.evidence.filter((e) => e.data?.role === 'recovery').at(-1)!.data?.outcome).to.equal('accepted');
      }
    });

    it('PASSes S1.1-12: TLS 1.2/1.3 with a certificate chained to the declared device CA, and hardened SSH', () => {
      const { results } = run;
      expect(results.requirements.filter((r) => r.verdict === 'FAIL').map((r) => r.id)).to.deep.equal([]);
      expect(results.requirements.find((r) => r.id === 'S1.1-12')!.verdict).to.equal('PASS');
      for (const name of ['web-admin', 'telemetry']) {
        const check = results.checks.find((c) => c.id === `S1.1-12/crypto/${name}`)!;
        expect(check.verdict, check.reason).to.equal('PASS');
        const observation = check.evidence.find((e) => e.kind === 'observation')!;
        const offered = (observation.data?.versions as Array<{ version: string; offered: boolean }>).filter((v) => v.offered).map((v) => v.version);
        expect(offered).to.deep.equal(['TLSv1.2', 'TLSv1.3']);
        expect(observation.data?.certificateChain).to.deep.include({ anchored: true, hostMatches: true, expired: false });
      }
      const ssh = results.checks.find((c) => c.id === 'S1.1-12/crypto/ssh')!;
      expect(ssh.verdict, ssh.reason).to.equal('PASS');
      expect(results.checks.filter((c) => c.id.startsWith('S1.1-12/plaintext/')).map((c) => c.id)).to.deep.equal(['S1.1-12/plaintext/coap']);
      expect(results.checks.find((c) => c.id === 'S1.1-12/communication-protection/declaration')!.verdict).to.equal('MANUAL');
    });

    it('PASSes S1.1-06 and S1.1-08 hands-on: the genuine image installed, every attack refused, judged by the version read', () => {
      const { results } = run;
      expect(results.requirements.find((r) => r.id === 'S1.1-06')!.verdict).to.equal('PASS');
      expect(results.requirements.find((r) => r.id === 'S1.1-08')!.verdict).to.equal('PASS');
      const control = results.checks.find((c) => c.id === 'S1.1-06/update/genuine-image')!;
      expect(control.reason).to.match(/^the genuine image was installed: version 1\.2\.0 → 1\.3\.0 /);
      const attacks = results.checks.filter((c) => c.id.startsWith('S1.1-08/update-attack/'));
      expect(attacks.map((c) => [c.id.split('/').at(-1), c.verdict])).to.deep.equal(
        ['payload-byte-flipped', 'metadata-byte-changed', 'wrong-key', 'unsigned', 'cut-download', 'untrusted-certificate', 'plain-http', 'rollback'].map((a) => [a, 'PASS']),
      );
      const served = control.evidence.find((e) => e.data?.requests)!;
      const requests = served.data!.requests as Array<{ inScope: boolean; servedSha256?: string }>;
      expect(requests.every((r) => r.inScope)).to.equal(true);
      expect(requests.filter((r) => r.servedSha256).length).to.be.at.least(7);
      expect(device.updates.client.firmware).to.equal('1.3.0');
    });

    it('reads the model from the web UI (S1.1-10), leaves the label and the storage declaration (S1.1-11) to a person', () => {
      const model = run.results.checks.find((c) => c.id === 'S1.1-10/model-number/device')!;
      expect(model.verdict, model.reason).to.equal('PASS');
      expect(model.reason).to.match(/^the device shows its model "ACME SIM-CAM" \(declarations\.productInformation\.modelDesignation\): http over TLS \d+\/tcp <title> http\.title "ACME SIM-CAM" \(evidence #\d+\); https \d+\/tcp \/ <title> "ACME SIM-CAM" \(evidence #\d+\)$/);
      expect(run.results.requirements.find((r) => r.id === 'S1.1-10')!.verdict).to.equal('MANUAL');
      const storage = run.results.checks.find((c) => c.id === 'S1.1-11/secure-storage/declaration')!;
      expect(storage.verdict, storage.reason).to.equal('MANUAL');
      expect(storage.warnings).to.deep.equal([]);
    });

    it('finds the VDP, support period and product information declarations complete (S1.1-05, -16), declared, not observed, and leaves reading them to a person', () => {
      for (const [id, completeness] of [['S1.1-05', 'S1.1-05/vulnerability-disclosure/completeness'], ['S1.1-16', 'S1.1-16/support-period/completeness']] as const) {
        const check = run.results.checks.find((c) => c.id === completeness)!;
        expect(check.verdict, check.reason).to.equal('PASS');
        expect(check.basis).to.equal('declared');
        expect(check.reason).to.match(/^declared, not observed: /);
        expect(run.results.requirements.find((r) => r.id === id)!.verdict).to.equal('MANUAL');
      }
      // The vendor's pages, served by the simulator on 127.0.0.1 outside the device's scope and allow-listed in publicPages.
      const pages = run.results.checks.filter((c) => c.id.includes('/public-page/')).map((c) => [c.id, c.verdict]);
      expect(pages).to.deep.equal([
        ['S1.1-05/public-page/vulnerability-disclosure', 'PASS'],
        ['S1.1-16/public-page/support-period-1', 'PASS'],
        ['S1.1-16/public-page/product-information-2', 'PASS'],
      ]);
      const vdpPage = run.results.checks.find((c) => c.id === 'S1.1-05/public-page/vulnerability-disclosure')!;
      expect(vdpPage.evidence[0]!.artifacts.map((a) => a.name)).to.deep.equal(['public-page-vulnerability-disclosure.html']);
    });

    it('never writes the device password (a canary) into any file of the run folder, in any encoding', () => {
      const canary = device.admin.password;
      const fleetCanary = device.profileDocument().env.JCSTAR_SIM_UNIT2_PASSWORD!;
      const forms = [canary, Buffer.from(canary).toString('base64'), Buffer.from(`admin:${canary}`).toString('base64'), encodeURIComponent(canary), fleetCanary];
      const used = run.results.checks.flatMap((c) => c.evidence).filter((e) => e.data?.role === 'positive-control');
      expect(used.length, 'the canary must actually have travelled on the wire').to.be.greaterThan(0);
      for (const file of filesUnder(run.runDir)) {
        const content = readFileSync(file).toString('latin1');
        for (const form of forms) expect(content.includes(form), `${form} in ${file}`).to.equal(false);
      }
    });
  });

  describe('insecure build', () => {
    let device: SimulatedDevice;
    let run: RunOutcome;
    before(async () => ({ device, run } = await demo('insecure')));
    after(() => device.close());

    it('FAILs S1.1-02 with the accepted default and its transcript as evidence', () => {
      const { results } = run;
      expect(results.requirements.find((r) => r.id === 'S1.1-02')!.verdict).to.equal('FAIL');
      const web = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/web-admin')!;
      expect(web.verdict).to.equal('FAIL');
      expect(web.reason).to.match(/^web-admin accepted the universal default credential http-admin-admin /);
      const accepted = web.evidence.find((e) => e.data?.outcome === 'accepted' && e.data?.role === 'default')!;
      expect(accepted.sent).to.contain('Authorization: Basic base64(admin:[REDACTED:default:http-admin-admin])');
      expect(accepted.received).to.match(/^HTTP\/1\.1 200 OK/);
      expect(accepted.artifacts).to.have.length(1);
      const raw = readFileSync(join(run.runDir, accepted.artifacts[0]!.path));
      expect(raw.toString('latin1')).to.match(/^HTTP\/1\.1 200 OK\r\n/);
      expect(createHash('sha256').update(raw).digest('hex')).to.equal(accepted.artifacts[0]!.sha256);
      expect(exitCodeFor(results)).to.equal(1);
    });

    it('FAILs S1.1-04 with a projected guesses-per-day figure and the per-attempt CSV', () => {
      const check = run.results.checks.find((c) => c.id === 'S1.1-04/brute-force/web-admin')!;
      expect(check.verdict).to.equal('FAIL');
      expect(check.reason).to.match(/^web-admin: no brute-force protection seen; 20 wrong guesses refused promptly .*; [\d,]+ guesses\/day projected \(policy limit 100,000\)$/);
      const observation = check.evidence.find((e) => e.kind === 'observation')!;
      expect(observation.artifacts.map((a) => a.mediaType)).to.deep.equal(['text/csv']);
      // The header, the baseline, 30 wrong guesses and the correct credential after them.
      expect(readFileSync(join(run.runDir, observation.artifacts[0]!.path), 'utf8').trim().split('\r\n')).to.have.length(1 + 1 + 30 + 1);
    });

    it('FAILs S1.1-12 on the plaintext admin UI and MQTT, and names the legacy SSH algorithms', () => {
      const { results } = run;
      expect(results.requirements.find((r) => r.id === 'S1.1-12')!.verdict).to.equal('FAIL');
      const web = results.checks.find((c) => c.id === 'S1.1-12/plaintext/web-admin')!;
      expect(web.verdict).to.equal('FAIL');
      expect(web.reason).to.match(/^web-admin: HTTP page \/admin served over plaintext \(401\), no redirect to HTTPS/);
      const telemetry = results.checks.find((c) => c.id === 'S1.1-12/plaintext/telemetry')!;
      expect(telemetry.verdict).to.equal('FAIL');
      expect(telemetry.reason).to.match(/^telemetry: the MQTT broker answers CONNECT on \d+\/tcp without TLS/);
      const ssh = results.checks.find((c) => c.id === 'S1.1-12/crypto/ssh')!;
      expect(ssh.verdict).to.equal('FAIL');
      for (const item of ['kex diffie-hellman-group1-sha1', 'encryption 3des-cbc', 'mac hmac-md5']) {
        expect(ssh.reason).to.contain(item);
      }
      // Beside clean algorithms, SHA-1, CBC and pre-authentication zlib are warnings (crypto-2026.12).
      for (const item of ['kex diffie-hellman-group14-sha1', 'encryption aes128-cbc', 'mac hmac-sha1', 'compression zlib']) {
        expect(ssh.warnings.join('; ')).to.contain(item);
      }
      expect(ssh.reason).not.to.contain('curve25519');
    });

    it('FAILs S1.1-08 naming each attack the device installed, with the versions before and after', () => {
      const attacks = run.results.checks.filter((c) => c.id.startsWith('S1.1-08/update-attack/'));
      expect(attacks.map((c) => [c.id.split('/').at(-1), c.verdict])).to.deep.equal([
        ['payload-byte-flipped', 'FAIL'],
        ['metadata-byte-changed', 'FAIL'],
        ['wrong-key', 'FAIL'],
        ['unsigned', 'FAIL'],
        ['cut-download', 'PASS'],
        ['untrusted-certificate', 'FAIL'],
        ['plain-http', 'FAIL'],
        ['rollback', 'FAIL'],
      ]);
      expect(attacks.find((c) => c.id.endsWith('/wrong-key'))!.reason).to.match(/^the device installed the image signed with a key jcstar made up: version 1\.1\.0 → 1\.3\.0 /);
      expect(attacks.find((c) => c.id.endsWith('/plain-http'))!.reason).to.contain('so whoever plays that server can install anything');
    });

    it('FAILs the interface inventory on the undeclared BusyBox shell', () => {
      const inventory = run.results.checks.find((c) => c.id === 'S1.1-01/interface-inventory/tcp')!;
      expect(inventory.verdict).to.equal('FAIL');
      expect(inventory.reason).to.equal('undeclared open TCP port(s): 2323/tcp telnet "BusyBox v1.30 built-in shell (ash)" (known debug or factory service: Telnet, a login shell in plaintext); every access path must be declared with its authentication');
    });
  });
});
