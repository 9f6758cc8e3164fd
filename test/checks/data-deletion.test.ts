import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { RunOutcome } from '../../harness/engine/run.js';
import dataDeletion from '../../suites/S1.1-15-data-deletion.js';
import { controlArgv } from '../support/restartable-device-control.js';
import { startRestartableDevice, type RestartableDevice, type RestartableDeviceOptions } from '../support/restartable-device.js';
import { LAB_ENV, LAB_PASSWORD, restartableProfile } from '../support/restartable-profile.js';
import { filesUnder } from '../support/run-folder.js';
import { runProfile } from '../support/run-profile.js';

const HOST = '127.0.0.15';
const RESET = {
  handsOn: true,
  factoryReset: { hook: 'factory-reset' },
  userData: { create: { http: { service: 'web', method: 'POST', path: '/api/notes', contentType: 'application/json', body: '{"note": "{{marker}}"}' } }, read: { hook: 'dump-user-data' } },
};
const DECLARED = { declarations: { userDataDeletion: { method: 'Settings > Factory reset' }, defaultPasswordScheme: { scheme: 'user-set-at-first-use' } } };
/** A unit whose factory password is its unique label password: a reset rightly brings it back. */
const LABEL_PASSWORD = { declarations: { userDataDeletion: { method: 'Settings > Factory reset' } } };
const HANDS_ON_ID = 'S1.1-15/data-deletion/web';
const DECLARATION_ID = 'S1.1-15/user-data-deletion/declaration';

const check = (outcome: RunOutcome, id: string) => {
  const found = outcome.results.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${outcome.results.checks.map((c) => c.id).join(', ')}`);
  return found;
};

/** The outage was seen: the first unanswered login, then the first answered one. */
const expectDownPeriod = (evidence: RunOutcome['results']['checks'][number]['evidence']) => {
  const down = evidence.find((e) => e.summary.startsWith('factory reset: the device was down from'))!;
  expect(down.data!.seenDown).to.equal(true);
  expect(Date.parse(down.data!.firstAnsweredAt as string)).to.be.greaterThan(Date.parse(down.data!.firstFailedAt as string));
};

describe('S1.1-15 data deletion (hands-on, lab hooks)', function () {
  this.timeout(120_000);
  let device: RestartableDevice | undefined;
  const start = async (options: Partial<RestartableDeviceOptions>) => {
    device = await startRestartableDevice({ host: HOST, username: 'admin', password: LAB_PASSWORD, version: '2.4.1', restart: 'keeps-state', reset: 'erases', ...options });
    return device;
  };
  afterEach(async () => {
    await device?.close();
    device = undefined;
  });
  const run = (hooks: Record<string, unknown>, extra: Record<string, unknown> = DECLARED) => runProfile(restartableProfile(device!, hooks, extra), { env: LAB_ENV, suites: [dataDeletion] });

  it('PASSes a reset that erases the marker and the credential and brings the unit back to first use; the declaration stays MANUAL', async () => {
    await start({});
    const outcome = await run(RESET);
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict, c.reason).to.equal('PASS');
    expect(c.reason).to.match(
      /^web: after the reset \(evidence #\d+\) the device went down \(evidence #\d+\) and came back; the user data marker seen before it \(#\d+\) is gone \(#\d+\) and the temporary credential for "admin" set before it is refused \(#\d+\), and the unit is back at first use \(\/admin: HTTP 403 without WWW-Authenticate\); the unit was reset: set it up again/,
    );
    expectDownPeriod(c.evidence);
    const marker = c.evidence.find((e) => e.summary.startsWith('user data marker for this test'))!.data!.marker as string;
    expect(marker).to.match(/^jcstar-[0-9a-f]{24}$/);
    expect(c.evidence.find((e) => e.summary.startsWith('user data marker after the reset'))!.data).to.deep.equal({ marker, readOk: true, present: false });
    expect(check(outcome, DECLARATION_ID).verdict).to.equal('MANUAL');
    expect(check(outcome, DECLARATION_ID).reason).to.equal('a person must check that the declared method ("Settings > Factory reset") deletes all user data: the reset is tested on the device by the data-deletion check');
    expect(device!.commands()).to.deep.equal(['dump-user-data', 'factory-reset', 'dump-user-data']);
    expect(device!.notes()).to.deep.equal([]);
  });

  it('FAILs a reset that keeps user data, naming the marker', async () => {
    await start({ reset: 'keeps-user-data' });
    const outcome = await run(RESET);
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict).to.equal('FAIL');
    expect(c.reason).to.match(/^web: the declared factory reset left the user data marker \(read: hook dump-user-data, evidence #\d+\)$/);
    expect(outcome.results.requirements.find((r) => r.id === 'S1.1-15')!.verdict).to.equal('FAIL');
  });

  it('is INCONCLUSIVE, the original credential restored, when the "reset" never takes the device down and changes nothing', async () => {
    await start({ reset: 'keeps-user-data' });
    const outcome = await run({ ...RESET, factoryReset: { hook: 'dump-user-data' }, recoverySeconds: 2 });
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict).to.equal('INCONCLUSIVE');
    expect(c.reason).to.match(/^web: the device answered throughout; whether the reset ran is not established \(hook dump-user-data exited with status 0, evidence #\d+; \d logins answered over \d s, hooks\.recoverySeconds 2\); the declared credential was put back \(#\d+\)$/);
    expect(c.evidence.find((e) => e.summary.startsWith('factory reset: '))!.data).to.deep.include({ seenDown: false });
    expect(device!.password()).to.equal(LAB_PASSWORD);
  });

  it('PASSes a reset that brings back the unique label password: the temporary credential set before it is refused', async () => {
    await start({ factoryPassword: 'label' });
    const outcome = await run(RESET, LABEL_PASSWORD);
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict, c.reason).to.equal('PASS');
    expect(c.reason).to.match(/^web: after the reset \(evidence #\d+\) the device went down \(evidence #\d+\) and came back; the user data marker seen before it \(#\d+\) is gone \(#\d+\) and the temporary credential for "admin" set before it is refused \(#\d+\); the unit was reset/);
    expect(device!.password()).to.equal(LAB_PASSWORD);
    for (const file of filesUnder(outcome.runDir)) expect(readFileSync(file, 'latin1').includes(LAB_PASSWORD), file).to.equal(false);
  });

  it('FAILs a reset that keeps the credential set before it, then puts the declared one back', async () => {
    await start({ reset: 'keeps-credential' });
    const outcome = await run(RESET, LABEL_PASSWORD);
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict).to.equal('FAIL');
    expect(c.reason).to.match(/^web: the declared factory reset left the temporary credential for "admin" set before the reset, which still logs in \(evidence #\d+\); the declared credential was put back \(#\d+\)$/);
    expectDownPeriod(c.evidence);
    expect(device!.password()).to.equal(LAB_PASSWORD);
    const [temporary, restored] = device!.passwordsSet();
    expect(restored).to.equal(LAB_PASSWORD);
    expect(temporary).to.have.length.of.at.least(16);
    for (const file of filesUnder(outcome.runDir)) {
      const text = readFileSync(file, 'latin1');
      expect(text.includes(temporary!), file).to.equal(false);
      expect(text.includes(LAB_PASSWORD), file).to.equal(false);
    }
  });

  it('PASSes a reset that takes the device down only after answering: the logins wait for the outage', async () => {
    await start({ goesDownAfterMs: 1500, bootMs: 2500 });
    const outcome = await run(RESET);
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict, c.reason).to.equal('PASS');
    const waits = c.evidence.filter((e) => e.summary.startsWith('waiting for the device to go down after the reset'));
    expect(waits[0]!.data!.outcome).to.equal('accepted');
    expect(waits.at(-1)!.data!.outcome).to.equal('error');
    expectDownPeriod(c.evidence);
  });

  it('is INCONCLUSIVE, the original credential restored, when the device goes down only after hooks.recoverySeconds', async () => {
    await start({ goesDownAfterMs: 30_000 });
    const outcome = await run({ ...RESET, recoverySeconds: 2 });
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict).to.equal('INCONCLUSIVE');
    expect(c.reason).to.match(/^web: the device answered throughout; whether the reset ran is not established \(hook factory-reset exited with status 0, evidence #\d+; \d logins answered over \d s, hooks\.recoverySeconds 2\); the declared credential was put back \(#\d+\)$/);
    expect(device!.password()).to.equal(LAB_PASSWORD);
  });

  it('PASSes a reset without a reboot, never seen down, when the marker is gone and the temporary credential refused anyway', async () => {
    await start({ resetReboots: false });
    const outcome = await run({ ...RESET, recoverySeconds: 2 });
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict, c.reason).to.equal('PASS');
    expect(c.reason).to.match(
      /^web: after the reset \(evidence #\d+\) the device answered throughout \(a reset without a reboot\); the user data marker seen before it \(#\d+\) is gone \(#\d+\) and the temporary credential for "admin" set before it is refused \(#\d+\), and the unit is back at first use/,
    );
    expect(c.evidence.find((e) => e.summary.startsWith('factory reset: '))!.data).to.deep.include({ seenDown: false });
  });

  it('without services[].credentialChange, judges the marker only and says what the credential part needs', async () => {
    await start({ factoryPassword: 'label' });
    const profile = restartableProfile(device!, RESET, LABEL_PASSWORD);
    delete (profile.services as Array<Record<string, unknown>>)[0]!.credentialChange;
    const outcome = await runProfile(profile, { env: LAB_ENV, suites: [dataDeletion] });
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict, c.reason).to.equal('PASS');
    expect(c.reason).to.match(
      /^web: after the reset \(evidence #\d+\) the device went down \(evidence #\d+\) and came back; the user data marker seen before it \(#\d+\) is gone \(#\d+\); the credential part was not tested: it needs services\[\]\.credentialChange on web, since the declared credential may rightly work again after a reset; the unit was reset/,
    );
  });

  it('is INCONCLUSIVE when the device does not answer after the reset', async () => {
    await start({ comesBack: false });
    const outcome = await run({ ...RESET, recoverySeconds: 2 });
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict).to.equal('INCONCLUSIVE');
    expect(c.reason).to.match(/^web: the device did not answer a login within 2 s after the reset \(hook factory-reset exited with status 0, evidence #\d+\) \(last login: .*\), so what survived it cannot be seen$/);
  });

  it('redacts the temporary password the reset hook prints', async () => {
    await start({});
    const profile = restartableProfile(device!, RESET, DECLARED);
    const [node, script, port] = controlArgv(device!.controlPort, 'x');
    (profile.hooks as { commands: Record<string, unknown> }).commands['factory-reset'] = {
      run: ['sh', '-c', '"$0" "$1" "$2" print-password && "$0" "$1" "$2" factory-reset', node, script, port],
      timeoutSeconds: 10,
    };
    const outcome = await runProfile(profile, { env: LAB_ENV, suites: [dataDeletion] });
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict, c.reason).to.equal('PASS');
    const hook = c.evidence.find((e) => e.summary.startsWith('hook factory-reset'))!;
    expect(hook.received).to.equal('stdout:\nok admin password is [REDACTED:temporary-password]\nok factory reset\n\nstderr:\n');
    for (const file of filesUnder(outcome.runDir)) expect(readFileSync(file, 'latin1').includes(LAB_PASSWORD), file).to.equal(false);
  });

  it('is INCONCLUSIVE, resetting nothing, when the user data cannot be read back (positive control)', async () => {
    await start({});
    const outcome = await run({ ...RESET, userData: { ...RESET.userData, read: { http: { service: 'web', method: 'GET', path: '/admin' } } } });
    const c = check(outcome, HANDS_ON_ID);
    expect(c.verdict).to.equal('INCONCLUSIVE');
    expect(c.reason).to.match(/^web: the user data just created cannot be read back \(GET \/admin on web: its answer does not hold the marker jcstar-[0-9a-f]{24}, evidence #\d+\), so its absence after a reset would prove nothing; nothing was reset$/);
    expect(device!.commands()).to.deep.equal([]);
  });

  it('without hands-on, only the declaration, saying what the profile needs', async () => {
    await start({});
    const outcome = await run({ ...RESET, handsOn: false });
    expect(outcome.results.checks.map((c) => [c.id, c.verdict, c.reason])).to.deep.equal([
      [DECLARATION_ID, 'MANUAL', 'a person must check that the declared method ("Settings > Factory reset") deletes all user data: not tested on the device: run with --hands-on reset (or hooks.handsOn: true)'],
    ]);
    const bare = await run({}, {});
    expect(bare.results.checks.map((c) => [c.id, c.verdict, c.reason])).to.deep.equal([
      [DECLARATION_ID, 'INCONCLUSIVE', 'the profile declares no userDataDeletion; not tested on the device: declare hooks.factoryReset; declare hooks.userData (create with {{marker}}, read); run with --hands-on reset (or hooks.handsOn: true)'],
    ]);
    expect(device!.commands()).to.deep.equal([]);
  });
});
