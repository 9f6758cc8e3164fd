import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { judgeChange, restoreNeeded, type ChangeTest } from '../../harness/checks/credential-change/judge.js';
import type { LoginStep } from '../../harness/checks/credential-change/steps.js';
import { encodingFor, fillTemplate, safeForShell } from '../../harness/checks/credential-change/template.js';
import { temporaryPassword } from '../../harness/checks/credential-change/temporary-password.js';
import { characterClasses } from '../../harness/checks/default-password/strength.js';
import type { RunOutcome } from '../../harness/engine/run.js';
import { ProfileError } from '../../harness/profile/errors.js';
import { Secret } from '../../harness/secrets/secret.js';
import authenticationChange from '../../suites/S1.1-03-authentication-change.js';
import { startPasswordChangeDevice, type PasswordChangeDevice, type PasswordChangeMode } from '../../harness/simulator/fakes/password-change-device.js';
import { filesUnder } from '../support/run-folder.js';
import { DEVICE, profileFrom, runProfile } from '../support/run-profile.js';
import { AttackSurface } from '../../harness/inventory/surface.js';

/** No file of the run folder holds any of `passwords`, raw or in any encoding a request or transcript could carry. */
function expectNoPasswordIn(runDir: string, passwords: string[], username: string): void {
  const forms = passwords.flatMap((p) => [
    p, Buffer.from(p).toString('base64'), Buffer.from(`${username}:${p}`).toString('base64'), encodeURIComponent(p), JSON.stringify(p).slice(1, -1),
  ]);
  for (const file of filesUnder(runDir)) {
    const content = readFileSync(file).toString('latin1');
    for (const form of forms) expect(content.includes(form), `a password form in ${file}`).to.equal(false);
  }
}

const step = (outcome: LoginStep['outcome'], evidenceSeq: number): LoginStep => ({ outcome, detail: outcome === 'accepted' ? 'HTTP 200' : 'HTTP 401', evidenceSeq });

describe('S1.1-03 credential-change building blocks', () => {
  describe('temporary password', () => {
    it('meets the policy, with symbols only when the policy asks for four classes', () => {
      const three = temporaryPassword({ minLength: 8, minCharacterClasses: 3 });
      expect(three.reveal()).to.match(/^[A-Za-z0-9]{16}$/);
      expect(characterClasses(three.reveal())).to.have.length(3);
      const four = temporaryPassword({ minLength: 24, minCharacterClasses: 4 });
      expect(four.reveal()).to.have.length(24);
      expect(characterClasses(four.reveal())).to.have.length(4);
      expect(four.reveal()).to.match(/^[A-Za-z0-9._-]+$/);
    });

    it('is fresh each time and prints only as its marker', () => {
      const a = temporaryPassword({ minLength: 8, minCharacterClasses: 3 });
      expect(a.reveal()).to.not.equal(temporaryPassword({ minLength: 8, minCharacterClasses: 3 }).reveal());
      expect(`${a}`).to.equal('[REDACTED:temporary-password]');
    });
  });

  describe('templates', () => {
    const values = { username: 'ad min', oldPassword: new Secret('o"l&d=\\1', 'old'), newPassword: new Secret('n+ew/2', 'new') };

    it('URL-encodes for a form, escapes for JSON, and shows markers in the evidence copy', () => {
      expect(fillTemplate('u={{username}}&o={{oldPassword}}&n={{ newPassword }}', values, 'form')).to.deep.equal({
        wire: 'u=ad%20min&o=o%22l%26d%3D%5C1&n=n%2Bew%2F2',
        shown: 'u=ad%20min&o=[REDACTED:old]&n=[REDACTED:new]',
      });
      const json = fillTemplate('{"old":"{{oldPassword}}","new":"{{newPassword}}"}', values, 'json');
      expect(JSON.parse(json.wire)).to.deep.equal({ old: 'o"l&d=\\1', new: 'n+ew/2' });
      expect(json.shown).to.equal('{"old":"[REDACTED:old]","new":"[REDACTED:new]"}');
      expect(fillTemplate("echo '{{username}}:{{newPassword}}'", values, 'raw').wire).to.equal("echo 'ad min:n+ew/2'");
    });

    it('picks the encoding from the content type', () => {
      expect(['application/x-www-form-urlencoded; charset=utf-8', 'application/json', 'application/vnd.api+json', 'text/plain'].map(encodingFor)).to.deep.equal(['form', 'json', 'json', 'raw']);
    });

    it('keeps values that would break out of shell quoting away from a command line', () => {
      expect(safeForShell({ ...values, oldPassword: new Secret('plain-1', 'old') })).to.equal(true);
      for (const bad of ["it's", 'a"b', 'a$b', 'a`b', 'a\\b', 'a\nb']) {
        expect(safeForShell({ ...values, oldPassword: new Secret(bad, 'old'), newPassword: new Secret('x', 'new') }), bad).to.equal(false);
      }
    });
  });

  describe('verdict', () => {
    const done = { ok: true, detail: 'HTTP 200', evidenceSeq: 2 };
    const restored = { needed: true as const, procedure: { ok: true, detail: 'HTTP 200', evidenceSeq: 5 }, oldBack: step('accepted', 6), temporaryGone: step('rejected', 7) };
    const test = (over: Partial<ChangeTest>): ChangeTest => ({ service: 'web', change: done, oldAfter: step('rejected', 3), newAfter: step('accepted', 4), restore: restored, ...over });

    it('PASSes when the old value is rejected, the new one accepted and the original restored', () => {
      expect(judgeChange(test({}))).to.deep.equal({
        verdict: 'PASS',
        reason: 'web: after the change (evidence #2) the old value was rejected (#3) and the new one accepted (#4); the original value was restored (#5) and accepted again (#6)',
      });
    });

    it('FAILs when the old value survives a reported change, or the new one is refused', () => {
      expect(judgeChange(test({ oldAfter: step('accepted', 3), newAfter: step('rejected', 4), restore: { needed: false } }))).to.deep.equal({
        verdict: 'FAIL',
        reason: 'web: the old value is still accepted after a change the device reported as done (HTTP 200, evidence #2; login: evidence #3) and the new one is refused: the change had no effect',
      });
      expect(judgeChange(test({ newAfter: step('rejected', 4) })).verdict).to.equal('FAIL');
    });

    it('is INCONCLUSIVE when the procedure fails, and says loudly when the restore failed', () => {
      const outcome = judgeChange(test({
        change: { ok: false, detail: 'HTTP 500', evidenceSeq: 2 },
        restore: { ...restored, procedure: { ok: false, detail: 'HTTP 500', evidenceSeq: 5 }, oldBack: step('rejected', 6) },
      }));
      expect(outcome.verdict).to.equal('INCONCLUSIVE');
      expect(outcome.reason).to.equal(
        'web: the change procedure failed (HTTP 500, evidence #2), so whether the value can be changed is not shown. RESTORE FAILED: the original value is not accepted after the restore (procedure: HTTP 500, evidence #5; login: HTTP 401, evidence #6); the unit may now hold the temporary password, which jcstar never records: the lab must reset the unit',
      );
    });

    it('does not PASS a working change whose restore left the temporary value behind', () => {
      const outcome = judgeChange(test({ restore: { ...restored, temporaryGone: step('accepted', 7) } }));
      expect(outcome.verdict).to.equal('INCONCLUSIVE');
      expect(outcome.reason).to.contain('RESTORE FAILED: the device still accepts the temporary value after the restore (evidence #7)');
    });

    it('restores unless the device provably kept the old value and refused the new one', () => {
      expect(restoreNeeded(step('accepted', 1), step('rejected', 2))).to.equal(false);
      expect(restoreNeeded(step('accepted', 1), step('accepted', 2))).to.equal(true);
      expect(restoreNeeded(step('rejected', 1), step('rejected', 2))).to.equal(true);
      expect(restoreNeeded(step('accepted', 1), step('error', 2))).to.equal(true);
    });
  });
});

describe('profile loader: credentialChange', () => {
  const service = (over: Record<string, unknown>) => ({
    device: DEVICE,
    target: { host: '127.0.0.1' },
    scope: ['127.0.0.1/32'],
    credentials: { admin: { username: 'admin', password: '${env:PW}' } },
    services: [{ name: 'web', protocol: 'http', port: 80, auth: 'basic', credential: 'admin', ...over }],
  });
  const problems = async (over: Record<string, unknown>) => {
    const err = await profileFrom(service(over), { PW: 'x' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProfileError);
    return (err as ProfileError).problems.map((p) => `${p.path}: ${p.message}`);
  };
  const http = (body: string) => ({ credentialChange: { http: { method: 'POST', path: '/pw', body } } });

  it('refuses unknown placeholders and a template that never sets the new value', async () => {
    expect(await problems(http('new={{newPasword}}'))).to.deep.equal(['services[0].credentialChange.http.body: unknown placeholder {{newPasword}}; expected {{username}}, {{oldPassword}}, {{newPassword}}']);
    expect(await problems(http('n={{newPassword}}&u={{user_name}}'))).to.deep.equal(['services[0].credentialChange.http.body: unknown placeholder {{user_name}}; expected {{username}}, {{oldPassword}}, {{newPassword}}']);
    expect(await problems(http('old={{oldPassword}}'))).to.deep.equal(['services[0].credentialChange.http.body: expected {{newPassword}} in the template, or the procedure cannot set the new value']);
  });

  it('needs a credential to change and a procedure over the service\'s own protocol', async () => {
    expect(await problems({ credential: undefined, ...http('n={{newPassword}}') })).to.deep.equal(['services[0].credentialChange: a change procedure needs services[].credential, the credential it changes']);
    expect(await problems({ credentialChange: { ssh: { command: 'passwd {{newPassword}}' } } })).to.deep.equal(['services[0].credentialChange.ssh: an ssh procedure needs an ssh service; web is http']);
  });
});

describe('S1.1-03/credential-change against a password-change device', function () {
  this.timeout(60000);
  const HOST = '127.0.88.30';
  // Characters that need URL-encoding and JSON-escaping, so the templates are really exercised.
  const ORIGINAL = 'Orig&pw=1+"x\\9';
  const FORM_BODY = 'currentPassword={{oldPassword}}&newPassword={{newPassword}}';
  const JSON_BODY = '{"currentPassword":"{{oldPassword}}","newPassword":"{{newPassword}}"}';
  let device: PasswordChangeDevice;
  afterEach(() => device?.close());

  async function run(mode: PasswordChangeMode, change: Record<string, unknown> = { body: FORM_BODY }, options: { echoesNewPassword?: boolean } = {}): Promise<RunOutcome> {
    device = await startPasswordChangeDevice({ host: HOST, username: 'admin', password: ORIGINAL, mode, ...options });
    return runProfile({
      device: DEVICE,
      target: { host: HOST },
      scope: [`${HOST}/32`],
      services: [{
        name: 'web', protocol: 'http', port: device.port, auth: 'basic', credential: 'admin', paths: ['/admin'],
        credentialChange: { http: { method: 'POST', path: '/api/password', ...change } },
      }],
      credentials: { admin: { username: 'admin', password: '${env:WEB_PASSWORD}' } },
    }, { env: { WEB_PASSWORD: ORIGINAL }, only: ['S1.1-03'] });
  }
  const check = (r: RunOutcome) => r.results.checks.find((c) => c.id === 'S1.1-03/credential-change/web')!;
  const steps = (r: RunOutcome) => check(r).evidence.map((e) => [e.data?.step, e.data?.outcome ?? (e.data?.ok ? 'done' : 'failed')]);

  it('PASSes on a correct build: old value rejected after the change, new accepted, original restored', async () => {
    const r = await run('correct');
    expect(check(r).verdict, check(r).reason).to.equal('PASS');
    expect(steps(r)).to.deep.equal([
      ['before-change', 'accepted'], ['change', 'done'], ['old-after-change', 'rejected'], ['new-after-change', 'accepted'],
      ['restore', 'done'], ['old-after-restore', 'accepted'], ['new-after-restore', 'rejected'],
    ]);
    const [, change, oldAfter] = check(r).evidence;
    expect(oldAfter!.summary).to.equal('3. old value after the change: HTTP Basic on /admin as "admin" with [REDACTED:credentials.admin.password] → rejected (HTTP 401)');
    expect(change!.sent).to.contain('Authorization: Basic base64(admin:[REDACTED:credentials.admin.password])');
    expect(change!.sent).to.match(/\r\n\r\ncurrentPassword=\[REDACTED:credentials\.admin\.password\]&newPassword=\[REDACTED:temporary-password\]$/);
    expect(device.accepts(ORIGINAL)).to.equal(true);
    const [temporary] = device.requestedPasswords();
    expect(device.accepts(temporary!)).to.equal(false);
    expect(device.requestedPasswords()).to.deep.equal([temporary, ORIGINAL]);
    expectNoPasswordIn(r.runDir, [ORIGINAL, temporary!], 'admin');
    expect(r.results.checks.map((c) => c.id)).to.deep.equal(['S1.1-03/credential-change/web']);
  });

  it('PASSes with a JSON body, and scrubs a temporary password the device echoes back', async () => {
    const r = await run('correct', { body: JSON_BODY, contentType: 'application/json' }, { echoesNewPassword: true });
    expect(check(r).verdict, check(r).reason).to.equal('PASS');
    expect(check(r).evidence[1]!.received).to.contain('"password":"[REDACTED:temporary-password]"');
    expectNoPasswordIn(r.runDir, [ORIGINAL, ...device.requestedPasswords()], 'admin');
  });

  it('FAILs a build that reports the change but keeps the old password, and leaves it untouched', async () => {
    const r = await run('broken');
    expect(check(r).verdict).to.equal('FAIL');
    expect(check(r).reason).to.match(/^web: the old value is still accepted after a change the device reported as done \(HTTP 200, evidence #\d+; login: evidence #\d+\) and the new one is refused: the change had no effect$/);
    expect(steps(r)).to.deep.equal([['before-change', 'accepted'], ['change', 'done'], ['old-after-change', 'accepted'], ['new-after-change', 'rejected']]);
    expectNoPasswordIn(r.runDir, [ORIGINAL, ...device.requestedPasswords()], 'admin');
  });

  it('FAILs a build that accepts old and new, and says loudly that the temporary value could not be removed', async () => {
    const r = await run('keeps-old');
    expect(check(r).verdict).to.equal('FAIL');
    expect(check(r).reason).to.match(/^web: the old value is still accepted after a change the device reported as done .*; the new value is accepted too\. RESTORE FAILED: the device still accepts the temporary value after the restore \(evidence #\d+\); the unit may now hold the temporary password, which jcstar never records: the lab must reset the unit$/);
    expect(steps(r).slice(4)).to.deep.equal([['restore', 'done'], ['old-after-restore', 'accepted'], ['new-after-restore', 'accepted']]);
    expectNoPasswordIn(r.runDir, [ORIGINAL, ...device.requestedPasswords()], 'admin');
  });

  it('is INCONCLUSIVE when the procedure itself fails, and sees no need to restore an unchanged device', async () => {
    const r = await run('correct', { body: 'newPassword={{newPassword}}' });
    expect(check(r).verdict).to.equal('INCONCLUSIVE');
    expect(check(r).reason).to.match(/^web: the change procedure failed \(HTTP 403, evidence #\d+\), so whether the value can be changed is not shown$/);
    expect(steps(r).map(([s]) => s)).to.deep.equal(['before-change', 'change', 'old-after-change', 'new-after-change']);
    expect(device.accepts(ORIGINAL)).to.equal(true);
  });
});

describe('S1.1-03/authentication-change/declaration', () => {
  const HOST = '127.0.0.1';
  const profile = (declarations: Record<string, unknown>) => ({ device: DEVICE, target: { host: HOST }, scope: [`${HOST}/32`], declarations });

  it('is MANUAL, showing the declared procedure, when the profile gives no procedure to test', async () => {
    const r = await runProfile(profile({ authenticationChange: { procedure: 'Settings > Users > Change password' } }), { only: ['S1.1-03'] });
    const [declaration] = r.results.checks;
    expect([declaration!.id, declaration!.verdict, declaration!.basis]).to.deep.equal(['S1.1-03/authentication-change/declaration', 'MANUAL', 'declared']);
    expect(declaration!.reason).to.equal('a person must check the declared procedure ("Settings > Users > Change password") against the device: no change procedure (services[].credentialChange) is given to test it on the device');
    expect(declaration!.evidence[0]!.data).to.deep.equal({ declaration: 'authenticationChange', value: { procedure: 'Settings > Users > Change password' } });
  });

  it('is planned next to the hands-on checks while a password login has no procedure', async () => {
    const services = [
      { name: 'web', protocol: 'http', port: 80, auth: 'basic', credential: 'admin', credentialChange: { http: { method: 'POST', path: '/pw', body: 'n={{newPassword}}' } } },
      { name: 'ssh', protocol: 'ssh', port: 22, auth: 'password', credential: 'admin' },
    ];
    const p = await profileFrom({ ...profile({}), services, credentials: { admin: { username: 'admin', password: '${env:PW}' } } }, { PW: 'x' });
    expect(authenticationChange.plan(p, new AttackSurface()).map((c) => [c.spec.id, c.spec.basis])).to.deep.equal([
      ['S1.1-03/credential-change/web', 'observed'],
      ['S1.1-03/authentication-change/declaration', 'declared'],
    ]);
  });

  it('is INCONCLUSIVE when nothing is declared either', async () => {
    const r = await runProfile(profile({}), { only: ['S1.1-03'] });
    expect(r.results.checks[0]!.verdict).to.equal('INCONCLUSIVE');
    expect(r.results.checks[0]!.reason).to.equal('the profile declares no authenticationChange, and no change procedure (services[].credentialChange) is given to test it on the device');
  });
});
