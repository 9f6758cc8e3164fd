import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { RunOutcome } from '../../harness/engine/run.js';
import resilience from '../../suites/S1.1-14-resilience.js';
import { startRestartableDevice, type RestartableDevice, type RestartableDeviceOptions } from '../support/restartable-device.js';
import { LAB_ENV, LAB_PASSWORD, restartableProfile } from '../support/restartable-profile.js';
import { filesUnder } from '../support/run-folder.js';
import { runProfile } from '../support/run-profile.js';

const HOST = '127.0.0.14';
const BOTH = { handsOn: true, powerCycle: { hook: 'power-cycle' }, networkOutage: { down: { hook: 'network-down' }, up: { hook: 'network-up' }, seconds: 1 } };
const DECLARED = { declarations: { resilience: { description: 'settings are kept in flash and survive power loss' } } };

const check = (outcome: RunOutcome, id: string) => {
  const found = outcome.results.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${outcome.results.checks.map((c) => c.id).join(', ')}`);
  return found;
};
const requirement = (outcome: RunOutcome) => outcome.results.requirements.find((r) => r.id === 'S1.1-14')!;

describe('S1.1-14 resilience (hands-on, lab hooks)', function () {
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
  const run = (hooks: Record<string, unknown>, extra: Record<string, unknown> = DECLARED) => runProfile(restartableProfile(device!, hooks, extra), { env: LAB_ENV, suites: [resilience] });

  it('PASSes a device that keeps a changed credential and its version across a power cycle and a network outage, and restores the original', async () => {
    await start({});
    const outcome = await run(BOTH);
    for (const id of ['S1.1-14/power-cycle/web', 'S1.1-14/network-outage/web']) {
      const c = check(outcome, id);
      expect(c.verdict, c.reason).to.equal('PASS');
      expect(c.reason).to.match(/still logs in .* the old one is refused .* the firmware version is 2\.4\.1 before and after .* the original value was restored/);
      const versions = c.evidence.filter((e) => e.summary.startsWith('firmware version'));
      expect(versions.map((e) => e.summary)).to.deep.equal([
        'firmware version before the outage: 2.4.1 (GET http://127.0.0.14:' + device!.port + '/api/version /firmware/version)',
        'firmware version after the outage: 2.4.1 (GET http://127.0.0.14:' + device!.port + '/api/version /firmware/version)',
      ]);
      expect(c.evidence.some((e) => e.kind === 'observation' && /^hook (power-cycle|network-down) on the lab host: .* exited with status 0/.test(e.summary))).to.equal(true);
    }
    expect(outcome.results.checks.map((c) => c.id)).to.deep.equal(['S1.1-14/power-cycle/web', 'S1.1-14/network-outage/web']);
    expect(requirement(outcome).verdict).to.equal('PASS');
    expect(device!.commands()).to.deep.equal(['power-cycle', 'network-down', 'network-up']);
    expect(device!.password()).to.equal(LAB_PASSWORD);
    for (const file of filesUnder(outcome.runDir)) expect(readFileSync(file, 'latin1').includes(LAB_PASSWORD), file).to.equal(false);
  });

  it('FAILs a device that is back at its old credential after a power cycle', async () => {
    await start({ restart: 'loses-state' });
    const outcome = await run(BOTH);
    const cycled = check(outcome, 'S1.1-14/power-cycle/web');
    expect(cycled.verdict).to.equal('FAIL');
    expect(cycled.reason).to.match(/^web: the credential changed before the power cycle is refused after it \(device came back after \d+ s, evidence #\d+\); the old value logs in again \(evidence #\d+\): the device went back to it$/);
    expect(check(outcome, 'S1.1-14/network-outage/web').verdict).to.equal('PASS');
    expect(requirement(outcome).verdict).to.equal('FAIL');
    expect(device!.password()).to.equal(LAB_PASSWORD);
  });

  it('FAILs a device that reboots only after answering the power command and comes back at its old credential', async () => {
    await start({ restart: 'loses-state', goesDownAfterMs: 1500, bootMs: 2500 });
    const outcome = await run({ handsOn: true, powerCycle: { hook: 'power-cycle' } });
    const c = check(outcome, 'S1.1-14/power-cycle/web');
    expect(c.verdict).to.equal('FAIL');
    expect(c.reason).to.match(/^web: the credential changed before the power cycle is refused after it \(device came back after \d+ s, evidence #\d+\); the old value logs in again \(evidence #\d+\): the device went back to it$/);
    const waits = c.evidence.filter((e) => e.summary.startsWith('waiting for the device to go down after the power cycle'));
    expect(waits[0]!.data!.outcome).to.equal('accepted');
    expect(waits.at(-1)!.data!.outcome).to.equal('error');
    const down = c.evidence.find((e) => e.summary.startsWith('power-cycle: the device was down from'))!;
    expect(down.data!.seenDown).to.equal(true);
    expect(Date.parse(down.data!.firstAnsweredAt as string)).to.be.greaterThan(Date.parse(down.data!.firstFailedAt as string));
    expect(device!.password()).to.equal(LAB_PASSWORD);
  });

  it('PASSes a device that reboots only after answering the power command and keeps the changed credential', async () => {
    await start({ goesDownAfterMs: 1500, bootMs: 2500 });
    const outcome = await run({ handsOn: true, powerCycle: { hook: 'power-cycle' } });
    const c = check(outcome, 'S1.1-14/power-cycle/web');
    expect(c.verdict, c.reason).to.equal('PASS');
    expect(c.evidence.find((e) => e.summary.startsWith('power-cycle: the device was down from'))!.data!.seenDown).to.equal(true);
    expect(device!.password()).to.equal(LAB_PASSWORD);
  });

  it('is INCONCLUSIVE, the original credential restored, when the device is never seen down after the power command', async () => {
    await start({});
    const outcome = await run({ handsOn: true, powerCycle: { hook: 'dump-user-data' }, recoverySeconds: 2 });
    const c = check(outcome, 'S1.1-14/power-cycle/web');
    expect(c.verdict).to.equal('INCONCLUSIVE');
    expect(c.reason).to.match(/^web: the device never went down after hook dump-user-data \(evidence #\d+\): the outage was not observed \(\d logins answered over \d s, hooks\.recoverySeconds 2\); the original value was restored \(#\d+\)$/);
    expect(c.evidence.find((e) => e.summary.startsWith('power-cycle: the device answered every login'))!.data).to.deep.include({ seenDown: false });
    expect(device!.password()).to.equal(LAB_PASSWORD);
  });

  it('FAILs a device that runs another firmware version after a power cycle, naming both', async () => {
    await start({ versionAfterPowerCycle: '2.0.0' });
    const outcome = await run({ handsOn: true, powerCycle: { hook: 'power-cycle' } });
    const c = check(outcome, 'S1.1-14/power-cycle/web');
    expect(c.verdict).to.equal('FAIL');
    expect(c.reason).to.equal(`web: the firmware version changed across the power cycle, from 2.4.1 to 2.0.0 (GET http://${HOST}:${device!.port}/api/version /firmware/version)`);
    expect(device!.password()).to.equal(LAB_PASSWORD);
  });

  it('is INCONCLUSIVE, after restoring the credential, when the profile gives no way to read the firmware version', async () => {
    await start({});
    const profile = restartableProfile(device!, { handsOn: true, powerCycle: { hook: 'power-cycle' } }, DECLARED);
    delete profile.update;
    const outcome = await runProfile(profile, { env: LAB_ENV, suites: [resilience] });
    const c = check(outcome, 'S1.1-14/power-cycle/web');
    expect(c.verdict).to.equal('INCONCLUSIVE');
    expect(c.reason).to.equal('web: the credential survived the power cycle, but whether the firmware version did cannot be told: the profile declares no update.version to read it with');
    expect(device!.password()).to.equal(LAB_PASSWORD);
  });

  it('FAILs a device that does not come back within hooks.recoverySeconds', async () => {
    await start({ comesBack: false });
    const outcome = await run({ handsOn: true, powerCycle: { hook: 'power-cycle' }, recoverySeconds: 2 });
    const c = check(outcome, 'S1.1-14/power-cycle/web');
    expect(c.verdict).to.equal('FAIL');
    expect(c.reason).to.match(/^web: the device did not come back within 2 s after the power cycle \(hooks\.recoverySeconds; \d logins over \d s; last login: .*\)\. The unit may hold the temporary password/);
  });

  it('is INCONCLUSIVE when the power hook hangs: killed at its timeout, the credential restored', async () => {
    await start({});
    const profile = restartableProfile(device!, { handsOn: true, powerCycle: { hook: 'hang' } }, DECLARED);
    (profile.hooks as { commands: Record<string, { timeoutSeconds: number }> }).commands.hang!.timeoutSeconds = 1;
    const outcome = await runProfile(profile, { env: LAB_ENV, suites: [resilience] });
    const c = check(outcome, 'S1.1-14/power-cycle/web');
    expect(c.verdict).to.equal('INCONCLUSIVE');
    expect(c.reason).to.match(/^web: the power cycle did not happen as declared: hook hang did not finish within its timeout of 1 s and was killed \(evidence #\d+\)$/);
    const hook = c.evidence.find((e) => e.summary.startsWith('hook hang'))!;
    expect(hook.data).to.deep.include({ timedOut: true, exitCode: null, signal: 'SIGTERM', timeoutSeconds: 1 });
    expect(device!.password()).to.equal(LAB_PASSWORD);
    // The declaration covers the network outage the profile does not declare.
    expect(check(outcome, 'S1.1-14/resilience/declaration').reason).to.equal(
      'a person must check the declared behaviour ("settings are kept in flash and survive power loss") against the device: network outage not tested on the device: declare hooks.networkOutage',
    );
  });

  it('is INCONCLUSIVE, changing nothing, when the declared credential does not log in first (positive control)', async () => {
    await start({});
    const outcome = await runProfile(restartableProfile(device!, BOTH, DECLARED), { env: { ADMIN_PASSWORD: 'Not-The-Lab-Password-1' }, suites: [resilience] });
    const c = check(outcome, 'S1.1-14/power-cycle/web');
    expect(c.verdict).to.equal('INCONCLUSIVE');
    expect(c.reason).to.match(/^web: the declared credential "admin" was not accepted before the test \(HTTP 401, evidence #\d+\), so nothing was changed or disrupted$/);
    expect(device!.commands()).to.deep.equal([]);
  });

  it('leaves the declaration for a person, saying what the profile needs, without hands-on or hooks', async () => {
    await start({});
    const withoutHandsOn = await run({ ...BOTH, handsOn: false });
    expect(withoutHandsOn.results.checks.map((c) => [c.id, c.verdict, c.reason])).to.deep.equal([
      [
        'S1.1-14/resilience/declaration',
        'MANUAL',
        'a person must check the declared behaviour ("settings are kept in flash and survive power loss") against the device: power cycle and network outage not tested on the device: run with --hands-on resilience (or hooks.handsOn: true)',
      ],
    ]);
    const withoutHooks = await run({ handsOn: true }, {});
    expect(withoutHooks.results.checks.map((c) => [c.id, c.verdict, c.reason])).to.deep.equal([
      ['S1.1-14/resilience/declaration', 'INCONCLUSIVE', 'the profile declares no resilience, and power cycle and network outage not tested on the device: declare hooks.powerCycle and hooks.networkOutage'],
    ]);
    expect(device!.commands()).to.deep.equal([]);
  });
});
