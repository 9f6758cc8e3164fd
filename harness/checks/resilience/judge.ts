import { restoreFailure, type Restore } from '../credential-change/judge.js';
import type { LoginStep, ProcedureResult } from '../credential-change/steps.js';
import type { DeviceReturn } from '../../actions/await-device.js';
import type { VersionReading } from '../../update/types.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import type { DisruptionResult } from './disruption.js';

/** What a resilience test established, step by step (TS 103 701 5.9-2). */
export interface ResilienceTest {
  service: string;
  recoverySeconds: number;
  change: ProcedureResult;
  newAfterChange: LoginStep;
  versionBefore: VersionReading;
  disruption: DisruptionResult;
  recovery: DeviceReturn;
  /** The old value after the device came back; null when it never did. */
  oldAfter: LoginStep | null;
  versionAfter: VersionReading | null;
  restore: Restore;
}

const WHAT = { 'power-cycle': 'the power cycle', 'network-outage': 'the network outage' } as const;

/**
 * PASS only when the device came back in time, the value changed before the outage still works, the old
 * one is still refused and the version read before and after is the same.
 */
export function judgeResilience(test: ResilienceTest): CheckOutcome {
  const { service, change, newAfterChange, disruption, recovery, oldAfter, versionBefore, versionAfter } = test;
  const what = WHAT[disruption.disruption];
  const restoreProblem = restoreFailure(test.restore);
  const loud = restoreProblem
    ? `. RESTORE FAILED: ${restoreProblem}; the unit may now hold the temporary password, which jcstar never records: the lab must reset the unit`
    : '';
  if (!change.ok || newAfterChange.outcome !== 'accepted') {
    const why = !change.ok ? `the change procedure failed (${change.detail}, evidence #${change.evidenceSeq})` : `the new value was not accepted after the change (${newAfterChange.detail}, evidence #${newAfterChange.evidenceSeq})`;
    return inconclusive(`${service}: ${why}, so there was no changed credential to carry across ${what}; nothing was disrupted${loud}`);
  }
  const failedAction = disruption.actions.find((a) => !a.ok);
  if (failedAction) {
    return inconclusive(`${service}: ${what} did not happen as declared: ${failedAction.action} ${failedAction.detail} (evidence #${failedAction.evidenceSeq})${loud}`);
  }
  if (disruption.outage && !disruption.outage.seen) {
    const { attempts, waitedMs } = disruption.outage;
    const actions = disruption.actions.map((a) => `${a.action} (evidence #${a.evidenceSeq})`).join(' and ');
    const restored = test.restore.needed && !restoreProblem ? `; the original value was restored (#${test.restore.procedure.evidenceSeq})` : '';
    return inconclusive(`${service}: the device never went down after ${actions}: the outage was not observed (${attempts} logins answered over ${Math.round(waitedMs / 1000)} s, hooks.recoverySeconds ${test.recoverySeconds})${restored}${loud}`);
  }
  if (!recovery.back) {
    const last = recovery.last ? `; last login: ${recovery.last.detail}, evidence #${recovery.last.evidenceSeq}` : '';
    return fail(`${service}: the device did not come back within ${test.recoverySeconds} s after ${what} (hooks.recoverySeconds; ${recovery.attempts} logins over ${Math.round(recovery.waitedMs / 1000)} s${last}). The unit may hold the temporary password jcstar set before the outage, which it never records: the lab must reset the unit`);
  }
  const back = `came back after ${Math.round(recovery.waitedMs / 1000)} s`;
  if (recovery.login.outcome === 'rejected') {
    const reverted = oldAfter?.outcome === 'accepted' ? `; the old value logs in again (evidence #${oldAfter.evidenceSeq}): the device went back to it` : '';
    return fail(`${service}: the credential changed before ${what} is refused after it (device ${back}, evidence #${recovery.login.evidenceSeq})${reverted}${loud}`);
  }
  if (oldAfter?.outcome === 'accepted') {
    return fail(`${service}: the old value, changed before ${what}, is accepted again after it (evidence #${oldAfter.evidenceSeq})${loud}`);
  }
  if (versionBefore.ok && versionAfter?.ok && versionAfter.version !== versionBefore.version) {
    return fail(`${service}: the firmware version changed across ${what}, from ${versionBefore.version} to ${versionAfter.version} (${versionAfter.method})${loud}`);
  }
  if (oldAfter?.outcome !== 'rejected') {
    return inconclusive(`${service}: whether the old value is still refused after ${what} cannot be told (${oldAfter ? `${oldAfter.outcome}: ${oldAfter.detail}, evidence #${oldAfter.evidenceSeq}` : 'not tried'})${loud}`);
  }
  const unread = [versionBefore, versionAfter].find((v): v is Extract<VersionReading, { ok: false }> | null => !v?.ok);
  if (unread !== undefined) {
    return inconclusive(`${service}: the credential survived ${what}, but whether the firmware version did cannot be told: ${unread ? unread.reason : 'it was not read after the outage'}${loud}`);
  }
  if (restoreProblem || !test.restore.needed) return inconclusive(`${service}: the changed credential survived ${what}${loud}`);
  return pass(
    `${service}: the device ${back} after ${what}; the credential changed before it (evidence #${change.evidenceSeq}) still logs in (#${recovery.login.evidenceSeq}), the old one is refused (#${oldAfter.evidenceSeq}), ` +
      `the firmware version is ${versionAfter!.ok ? versionAfter!.version : ''} before and after (${versionBefore.method}); the original value was restored (#${test.restore.procedure.evidenceSeq})`,
  );
}
