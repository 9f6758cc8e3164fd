import { expect } from 'chai';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { derivationsFound, macDerivations, modelDerivations, serialDerivations } from '../../harness/checks/default-password/derivations.js';
import { assessFleet, type InitialPassword } from '../../harness/checks/default-password/fleet.js';
import { classifyFirstUse } from '../../harness/checks/default-password/first-use.js';
import { characterClasses, sameCounterPattern, strengthProblems } from '../../harness/checks/default-password/strength.js';
import { loadUniversalDefaults } from '../../harness/credentials/universal-defaults.js';
import type { RunOutcome } from '../../harness/engine/run.js';
import { packageRoot } from '../../harness/paths.js';
import { ProfileError } from '../../harness/profile/errors.js';
import { loadProfile } from '../../harness/profile/load.js';
import { Secret } from '../../harness/secrets/secret.js';
import { startFirstUseDevice, type FirstUseDevice } from '../../harness/simulator/fakes/first-use-device.js';
import { filesUnder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const STRENGTH = { minLength: 8, minCharacterClasses: 3 };
const RULES = { model: 'Cam 1', strength: STRENGTH, universalDefaults: loadUniversalDefaults().entries };

function fixture(name: string): string {
  return relative(process.cwd(), join(packageRoot, 'test', 'fixtures', 'profiles', name));
}

function unit(id: string, password: string, extra: Partial<InitialPassword> = {}): InitialPassword {
  return { unit: id, source: `fleet[${id}]`, password: new Secret(password, `pw-${id}`), ...extra };
}

/** No file of the run folder holds any of `passwords`, raw or in the encodings a transcript could carry. */
function expectNoPasswordIn(runDir: string, passwords: string[], username = 'admin'): void {
  const forms = passwords.flatMap((p) => [p, Buffer.from(p).toString('base64'), Buffer.from(`${username}:${p}`).toString('base64'), encodeURIComponent(p)]);
  for (const file of filesUnder(runDir)) {
    const content = readFileSync(file).toString('latin1');
    for (const form of forms) expect(content.includes(form), `a password form in ${file}`).to.equal(false);
  }
}

describe('S1.1-02 default-password rules', () => {
  describe('derivations from public information', () => {
    const mac = macDerivations('00:1A:2B:3C:4D:5E');

    it('finds the MAC with or without separators, in either case, and its last 4, 6 and 8 hex digits', () => {
      expect(derivationsFound('x001a2b3c4d5ex', mac)).to.deep.equal([
        'its MAC address', 'the last 8 hex digits of its MAC address', 'the last 6 hex digits of its MAC address', 'the last 4 hex digits of its MAC address',
      ]);
      expect(derivationsFound('00-1A-2B-3C-4D-5E!', mac)[0]).to.equal('its MAC address');
      expect(derivationsFound('Cam00:1a:2b:3c:4d:5e', mac)[0]).to.equal('its MAC address');
      expect(derivationsFound('Pw#2b3C4d5E', mac)[0]).to.equal('the last 8 hex digits of its MAC address');
      expect(derivationsFound('Pw#3c4d5e', mac)[0]).to.equal('the last 6 hex digits of its MAC address');
      expect(derivationsFound('Zz9-4D5E-q', mac)).to.deep.equal(['the last 4 hex digits of its MAC address']);
      expect(derivationsFound('Qx3c:4d:5e', mac)[0]).to.equal('the last 6 hex digits of its MAC address');
    });

    it('finds the serial number whole, without punctuation, and its last 4 to 8 characters', () => {
      const serial = serialDerivations('SN-2024-000123');
      expect(derivationsFound('sn-2024-000123', serial)).to.include('its serial number');
      expect(derivationsFound('xSN2024000123', serial)).to.include('its serial number');
      expect(derivationsFound('Abc000123!', serial)).to.deep.equal(['the last 6 characters of its serial number', 'the last 5 characters of its serial number', 'the last 4 characters of its serial number']);
      expect(derivationsFound('Abc-000123', serial)[0]).to.equal('the last 7 characters of its serial number');
      expect(derivationsFound('Abc0123!', serial)).to.deep.equal(['the last 4 characters of its serial number']);
    });

    it('finds the model name, also without its punctuation', () => {
      expect(derivationsFound('acmecam-x100!', modelDerivations('Cam-X100'))).to.deep.equal(['the model name']);
      expect(derivationsFound('Camx1007#', modelDerivations('Cam-X100'))).to.deep.equal(['the model name']);
    });

    it('ignores fragments shorter than 4 characters and finds nothing in a random password', () => {
      expect(derivationsFound('SN1-abc', serialDerivations('SN-1'))).to.deep.equal([]);
      expect(derivationsFound('q7VtR2mLx9Kw', [...mac, ...serialDerivations('SN-2024-000123'), ...modelDerivations('Cam 1')])).to.deep.equal([]);
    });
  });

  describe('strength', () => {
    it('counts lower case, upper case, digits and symbols', () => {
      expect(characterClasses('abc')).to.deep.equal(['lower case']);
      expect(characterClasses('aB3-')).to.deep.equal(['lower case', 'upper case', 'digits', 'symbols']);
    });

    it('names what falls short of the policy without giving the password away', () => {
      expect(strengthProblems('q7VtR2mL', STRENGTH)).to.deep.equal([]);
      expect(strengthProblems('abc12', STRENGTH)).to.deep.equal(['is shorter than 8 characters', 'uses 2 character class(es) where the policy asks for 3']);
    });

    it('sees an incremental counter in passwords that differ only in their digits', () => {
      expect(sameCounterPattern('Camera01', 'Camera02')).to.equal(true);
      expect(sameCounterPattern('Camera01', 'Camera01')).to.equal(false);
      expect(sameCounterPattern('83729104', '19283746')).to.equal(false);
      expect(sameCounterPattern('q7VtR2mL', 'q8VtR2mL')).to.equal(true);
      expect(sameCounterPattern('q7VtR2mL', 'x7KtR2mZ')).to.equal(false);
    });
  });

  describe('fleet assessment', () => {
    it('finds nothing wrong with distinct, strong, underived passwords and lists the rules each one met', () => {
      const { units, findings, assessments } = assessFleet([unit('SN-1', 'q7VtR2mLx9Kw', { mac: '00:11:22:33:44:55' }), unit('SN-2', 'H4pZk8WnB2cs')], RULES);
      expect([units, findings]).to.deep.equal([2, []]);
      expect(assessments[0]!.rules.map((r) => [r.rule, r.passed])).to.deep.equal([
        ['distinct', true], ['no-counter-pattern', true], ['not-derived', true], ['strength', true], ['not-universal-default', true],
      ]);
      expect(assessments[0]!.rules[2]!.detail).to.equal('nothing derived from the MAC, serial number or model');
      expect(JSON.stringify(assessments)).not.to.contain('q7VtR2mLx9Kw');
    });

    it('names both units of a shared password, and never the password', () => {
      const { findings, assessments } = assessFleet([unit('SN-1', 'q7VtR2mLx9Kw'), unit('SN-2', 'q7VtR2mLx9Kw'), unit('SN-3', 'H4pZk8WnB2cs')], RULES);
      expect(findings).to.deep.equal(['units SN-1 (fleet[SN-1]) and SN-2 (fleet[SN-2]) share the same initial password']);
      expect(assessments[1]!.rules[0]).to.deep.equal({ rule: 'distinct', passed: false, detail: 'same password as SN-1 (fleet[SN-1])' });
    });

    it('takes the same password given twice for one unit (web and ssh) as one password', () => {
      const { units, findings } = assessFleet([unit('SN-1', 'q7VtR2mLx9Kw', { source: 'credential web' }), unit('SN-1', 'q7VtR2mLx9Kw', { source: 'credential ssh' })], RULES);
      expect([units, findings]).to.deep.equal([1, []]);
    });

    it('finds derivations, weak passwords, universal defaults and counters', () => {
      const { findings } = assessFleet([
        unit('SN-1', 'Cam-334455', { mac: '00:11:22:33:44:55' }),
        unit('SN-2', 'password'),
        unit('SN-3', 'Acme-Unit-07'),
        unit('SN-4', 'Acme-Unit-08'),
      ], RULES);
      expect(findings).to.deep.equal([
        'units SN-3 (fleet[SN-3]) and SN-4 (fleet[SN-4]) have passwords that differ only in their digits (a counter)',
        'unit SN-1 (fleet[SN-1]): the password contains the last 6 hex digits of its MAC address, the last 4 hex digits of its MAC address',
        'unit SN-2 (fleet[SN-2]): the password uses 1 character class(es) where the policy asks for 3',
        'unit SN-2 (fleet[SN-2]): the password is the universal default of entry http-admin-password',
      ]);
    });
  });

  describe('first-use answers', () => {
    it('tells refusal from operation and from a login being offered', () => {
      expect(classifyFirstUse(302, { location: '/setup' })).to.deep.equal({ answer: 'refused', detail: 'HTTP 302 to /setup' });
      expect(classifyFirstUse(403, {})).to.deep.equal({ answer: 'refused', detail: 'HTTP 403 without WWW-Authenticate' });
      expect(classifyFirstUse(200, {}).answer).to.equal('operating');
      expect(classifyFirstUse(401, { 'www-authenticate': 'Basic realm="x"' })).to.deep.equal({ answer: 'login-offered', detail: 'HTTP 401 WWW-Authenticate: Basic realm="x"' });
      expect(classifyFirstUse(403, { 'www-authenticate': 'Basic realm="x"' }).answer).to.equal('login-offered');
      expect(classifyFirstUse(404, {}).answer).to.equal('unexpected');
      expect(classifyFirstUse(302, {}).answer).to.equal('unexpected');
    });
  });
});

describe('profile loader: fleet', () => {
  const env = { UNIT_1002_PASSWORD: 'fleet-pw-1002-Xy', UNIT_1003_PASSWORD: 'fleet-pw-1003-Zq' };

  it('resolves every initial password into a Secret the evidence store will redact', async () => {
    const profile = await loadProfile(fixture('fleet-unique.yaml'), { env });
    expect(profile.fleet.map((u) => [u.unit, u.mac ?? null, u.initialPassword.reveal()])).to.deep.equal([
      ['SN-1002', '00:11:22:33:44:56', env.UNIT_1002_PASSWORD],
      ['SN-1003', null, env.UNIT_1003_PASSWORD],
    ]);
    expect(profile.secrets).to.deep.equal(profile.fleet.map((u) => u.initialPassword));
    expect(JSON.stringify(profile.fleet[0])).to.equal('{"unit":"SN-1002","mac":"00:11:22:33:44:56","initialPassword":"[REDACTED:fleet[0].initialPassword]"}');
  });

  it('locates an unset secret and a unit listed twice', async () => {
    const err = await loadProfile(fixture('fleet-problems.yaml'), { env: { UNIT_1002_PASSWORD: 'x' } }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProfileError);
    expect((err as ProfileError).problems.map((p) => `${p.line}:${p.column}: ${p.path}: ${p.message}`)).to.deep.equal([
      '14:11: fleet[1].unit: unit "SN-1002" is already listed as fleet[0]',
      '15:22: fleet[1].initialPassword: environment variable UNIT_1003_PASSWORD is not set',
    ]);
  });
});

describe('S1.1-02/unique-per-device/fleet in a run', function () {
  this.timeout(60000);
  const HOST = '127.0.88.20';
  let console: ReturnType<typeof createTcpServer>;
  let port: number;
  before(async () => {
    // The unit under test's login is a password console jcstar has no probe for: the run only needs it to answer.
    console = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => console.listen(0, HOST, resolve));
    port = (console.address() as { port: number }).port;
  });
  after(() => new Promise((resolve) => console.close(resolve)));

  const UUT_PASSWORD = 'Kq7vT2mLx9Wz';
  const profile = (fleet: Array<{ unit: string; mac?: string; env: string }>, scheme = 'unique-per-device') => ({
    device: { ...DEVICE, unit: 'SN-1001', mac: '00:11:22:33:44:55' },
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services: [{ name: 'console', protocol: 'other', port, auth: 'password', credential: 'admin' }],
    credentials: { admin: { username: 'admin', password: '${env:UUT_PASSWORD}' } },
    declarations: { defaultPasswordScheme: { scheme } },
    fleet: fleet.map((u) => ({ unit: u.unit, ...(u.mac ? { mac: u.mac } : {}), initialPassword: `\${env:${u.env}}` })),
  });
  const check = (run: RunOutcome) => run.results.checks.find((c) => c.id === 'S1.1-02/unique-per-device/fleet')!;

  it('PASSes on distinct clean passwords of three units, with per-unit rule evidence and no password in the run folder', async () => {
    const env = { UUT_PASSWORD, PW_2: 'H4pZk8WnB2cs', PW_3: 'r9YdS3fQw6Ej' };
    const run = await runProfile(profile([{ unit: 'SN-1002', mac: '00:11:22:33:44:56', env: 'PW_2' }, { unit: 'SN-1003', env: 'PW_3' }]), { env, only: ['S1.1-02'] });
    const fleet = check(run);
    expect(fleet.verdict, fleet.reason).to.equal('PASS');
    expect(fleet.reason).to.match(/^declared, not observed: 3 units have distinct initial passwords, none derived from MAC, serial number or model, none a universal default, all meeting the strength rule \(evidence #\d+\)$/);
    const passwords = fleet.evidence[0]!.data!.passwords as Array<{ unit: string; source: string; rules: Array<{ rule: string; passed: boolean }> }>;
    expect(passwords.map((p) => [p.unit, p.source, p.rules.every((r) => r.passed)])).to.deep.equal([
      ['SN-1001', 'credential admin', true], ['SN-1002', 'fleet[0]', true], ['SN-1003', 'fleet[1]', true],
    ]);
    expectNoPasswordIn(run.runDir, Object.values(env));
  });

  it('FAILs on a shared password and a MAC-derived one, naming the units only', async () => {
    const env = { UUT_PASSWORD, PW_2: UUT_PASSWORD, PW_3: 'Unit-33:44:56-x' };
    const run = await runProfile(profile([{ unit: 'SN-1002', env: 'PW_2' }, { unit: 'SN-1003', mac: '00:11:22:33:44:56', env: 'PW_3' }]), { env, only: ['S1.1-02'] });
    const fleet = check(run);
    expect(fleet.verdict).to.equal('FAIL');
    expect(fleet.reason).to.match(/^declared, not observed: units SN-1001 \(credential admin\) and SN-1002 \(fleet\[0\]\) share the same initial password; unit SN-1003 \(fleet\[1\]\): the password contains the last 6 hex digits of its MAC address, the last 4 hex digits of its MAC address \(evidence #\d+\)$/);
    expectNoPasswordIn(run.runDir, Object.values(env));
  });

  it('is NOT_APPLICABLE with the unit under test alone, asking for fleet[], and does not hold S1.1-02 back', async () => {
    const run = await runProfile(profile([]), { env: { UUT_PASSWORD }, only: ['S1.1-02'] });
    const fleet = check(run);
    expect(fleet.verdict).to.equal('NOT_APPLICABLE');
    expect(fleet.reason).to.match(/^declared, not observed: uniqueness needs at least two units, and only 1 unit's initial password is known; its rules were met \(evidence #\d+\); add fleet\[\] with another unit/);
  });

  it('is NOT_APPLICABLE, with the reason, when the declared scheme sets no per-unit password', async () => {
    const run = await runProfile(profile([], 'user-set-at-first-use'), { env: { UUT_PASSWORD }, only: ['S1.1-02'] });
    expect(check(run).verdict).to.equal('NOT_APPLICABLE');
    expect(check(run).reason).to.equal('the declared scheme is "user-set-at-first-use": the device ships no per-unit password to compare across units');
  });
});

describe('S1.1-02/first-use against a first-use device', function () {
  this.timeout(60000);
  const HOST = '127.0.88.21';
  const profile = (port: number, state: 'factory-fresh' | 'configured') => ({
    device: { ...DEVICE, state },
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services: [{ name: 'web', protocol: 'http', port, auth: 'basic', paths: ['/admin', '/api/status'] }],
    declarations: { defaultPasswordScheme: { scheme: 'user-set-at-first-use' } },
  });
  const check = (run: RunOutcome) => run.results.checks.find((c) => c.id === 'S1.1-02/first-use/web')!;
  let device: FirstUseDevice;
  afterEach(() => device?.close());

  it('PASSes on a factory-fresh unit: every protected path refused without a login, defaults too, and the setup form never posted', async () => {
    device = await startFirstUseDevice({ host: HOST });
    const run = await runProfile(profile(device.port, 'factory-fresh'), { only: ['S1.1-02'] });
    const firstUse = check(run);
    expect(firstUse.verdict, firstUse.reason).to.equal('PASS');
    expect(firstUse.reason).to.equal('web refused normal operation before a password was set, without offering a login (/admin: HTTP 302 to /setup; /api/status: HTTP 403 without WWW-Authenticate), on 2 protected path(s) with no credentials and with 3 universal http defaults');
    expect(firstUse.evidence.map((e) => e.summary)).to.deep.equal([
      'GET /admin without credentials → HTTP 302 to /setup: refused',
      'GET /admin with universal default http-admin-admin → HTTP 302 to /setup: refused',
      'GET /admin with universal default http-admin-empty → HTTP 302 to /setup: refused',
      'GET /admin with universal default http-admin-12345 → HTTP 302 to /setup: refused',
      'GET /api/status without credentials → HTTP 403 without WWW-Authenticate: refused',
      'GET /api/status with universal default http-admin-admin → HTTP 403 without WWW-Authenticate: refused',
      'GET /api/status with universal default http-admin-empty → HTTP 403 without WWW-Authenticate: refused',
      'GET /api/status with universal default http-admin-12345 → HTTP 403 without WWW-Authenticate: refused',
    ]);
    expect(firstUse.evidence[1]!.sent).to.contain('Authorization: Basic base64(admin:[REDACTED:default:http-admin-admin])');
    // Each path got the three defaults; the S1.1-02 default-credentials check made its own attempts on /admin.
    const defaults = run.results.checks.find((c) => c.id === 'S1.1-02/default-credentials/web')!;
    expect(device.attempts()).to.equal(6 + defaults.evidence.filter((e) => e.kind === 'exchange').length);
    expect(device.state().passwordSet).to.equal(false);
  });

  it('FAILs a build that serves /admin before any password is set', async () => {
    device = await startFirstUseDevice({ host: HOST, servesAdminBeforeSetup: true });
    const run = await runProfile(profile(device.port, 'factory-fresh'), { only: ['S1.1-02'] });
    const firstUse = check(run);
    expect(firstUse.verdict).to.equal('FAIL');
    expect(firstUse.reason).to.match(/^web serves \/admin \(HTTP 200\) with no password set: normal operation before the user sets one \(evidence #\d+\)$/);
    expect(firstUse.evidence).to.have.length(1);
  });

  describe('after the setup form was used', () => {
    const password = 'set-by-the-lab-1';
    beforeEach(async () => {
      device = await startFirstUseDevice({ host: HOST });
      const res = await fetch(`http://${HOST}:${device.port}/setup`, { method: 'POST', body: new URLSearchParams({ password }), redirect: 'manual' });
      expect(res.status).to.equal(303);
    });

    it('is INCONCLUSIVE when the profile still says factory-fresh, since the device asks for a login', async () => {
      const run = await runProfile(profile(device.port, 'factory-fresh'), { only: ['S1.1-02'] });
      const firstUse = check(run);
      expect(firstUse.verdict).to.equal('INCONCLUSIVE');
      expect(firstUse.reason).to.match(/^web asks for a login on \/admin \(HTTP 401 WWW-Authenticate: Basic realm="FIRST-USE"\) although the unit is declared factory-fresh .* reset the unit to factory state and run again/);
    });

    it('is INCONCLUSIVE without a request when the profile says configured', async () => {
      const run = await runProfile(profile(device.port, 'configured'), { only: ['S1.1-02'] });
      const firstUse = check(run);
      expect(firstUse.verdict).to.equal('INCONCLUSIVE');
      expect(firstUse.reason).to.match(/^the unit is not factory-fresh \(device\.state: configured\)/);
      expect(firstUse.evidence.map((e) => e.kind)).to.deep.equal(['note']);
    });
  });

  describe('a device that redirects to setup but keeps a hidden admin:admin', () => {
    let hidden: Server;
    let port: number;
    before(async () => {
      const admin = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
      hidden = createHttpServer((req, res) => {
        if (req.headers.authorization === admin) res.writeHead(200).end('admin page');
        else res.writeHead(302, { Location: '/setup' }).end();
      });
      await new Promise<void>((resolve) => hidden.listen(0, HOST, resolve));
      port = (hidden.address() as { port: number }).port;
    });
    after(() => new Promise((resolve) => hidden.close(resolve)));

    it('FAILs, naming the accepted default', async () => {
      const run = await runProfile(profile(port, 'factory-fresh'), { only: ['S1.1-02'] });
      const firstUse = check(run);
      expect(firstUse.verdict).to.equal('FAIL');
      expect(firstUse.reason).to.match(/^web accepted the universal default http-admin-admin on \/admin \(HTTP 200\) although no password was ever set \(evidence #\d+\)$/);
    });
  });
});
