import type { ActionObservation } from '../../actions/action-observation.js';
import type { DeviceReturn, OutageSeen } from '../../actions/await-device.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { restoreFailure, type Restore } from '../credential-change/judge.js';
import type { FirstUseObservation } from '../default-password/first-use.js';

/** What a data-deletion test established after the marker was seen on the device (TS 103 701 5.11-1). */
export interface DeletionTest {
  service: string;
  credential: string;
  /**
   * The credential was changed to a temporary one before the reset, and the logins after it use that one.
   * Without it the declared credential is used, which a reset may rightly restore (a label password).
   */
  credentialChanged: boolean;
  recoverySeconds: number;
  /** The read before the reset that showed the marker: the positive control. */
  markerSeen: ActionObservation;
  reset: ActionObservation;
  /** Whether the device was seen down after the reset: the reset command may return before it runs. */
  outage: OutageSeen;
  recovery: DeviceReturn;
  /** The read after the reset; null when the device never came back. */
  readAfter: ActionObservation | null;
  markerAfter: boolean;
  /** First-use requests after the reset, for a device declared user-set-at-first-use; empty otherwise. */
  firstUse: FirstUseObservation[];
  /** Putting the declared credential back when the reset left the temporary one. */
  restore: Restore;
}

/** What the verdict adds about putting the declared credential back: where it was, or loudly that it failed. */
export function loudRestore(restore: Restore): string {
  if (!restore.needed) return '';
  const problem = restoreFailure(restore);
  return problem
    ? `. RESTORE FAILED: ${problem}; the unit may now hold the temporary password, which jcstar never records: the lab must reset the unit`
    : `; the declared credential was put back (#${restore.procedure.evidenceSeq})`;
}

/**
 * PASS only when the device was seen down and back (or shows the reset's effects anyway), the marker is
 * gone, the temporary credential set before the reset is refused and, for a user-set-at-first-use device,
 * it is back at first use; FAIL naming whatever survived the reset.
 */
export function judgeDeletion(test: DeletionTest): CheckOutcome {
  const { service, credential, reset, outage, recovery, readAfter, markerAfter, firstUse } = test;
  const redo = 'the unit was reset: set it up again with the declared credential before the next run';
  const loud = loudRestore(test.restore);
  if (!recovery.back) {
    const last = recovery.last ? ` (last login: ${recovery.last.detail}, evidence #${recovery.last.evidenceSeq})` : '';
    return inconclusive(`${service}: the device did not answer a login within ${test.recoverySeconds} s after the reset (${reset.action} ${reset.detail}, evidence #${reset.evidenceSeq})${last}, so what survived it cannot be seen`);
  }
  const { login } = recovery;
  const survived: string[] = [];
  if (readAfter?.ok && markerAfter) survived.push(`the user data marker (read: ${readAfter.action}, evidence #${readAfter.evidenceSeq})`);
  if (test.credentialChanged && login.outcome === 'accepted') survived.push(`the temporary credential for "${credential}" set before the reset, which still logs in (evidence #${login.evidenceSeq})`);
  const inUse = firstUse.find((o) => o.answer === 'operating' || o.answer === 'login-offered');
  if (inUse && login.outcome !== 'accepted') survived.push(`a configured password: ${inUse.path} answers ${inUse.detail} instead of the first-use setup (evidence #${inUse.evidenceSeq})`);
  if (!outage.seen && (survived.length > 0 || !readAfter?.ok)) {
    return inconclusive(`${service}: the device answered throughout; whether the reset ran is not established (${reset.action} ${reset.detail}, evidence #${reset.evidenceSeq}; ${outage.attempts} logins answered over ${Math.round(outage.waitedMs / 1000)} s, hooks.recoverySeconds ${test.recoverySeconds})${loud}`);
  }
  if (survived.length > 0) {
    const resetNote = reset.ok ? '' : ` (the reset itself reported ${reset.detail}, evidence #${reset.evidenceSeq})`;
    return fail(`${service}: the declared factory reset left ${survived.join(' and ')}${resetNote}${loud}`);
  }
  if (!readAfter?.ok) {
    return inconclusive(`${service}: after the reset the user data could not be read (${readAfter ? `${readAfter.action} ${readAfter.detail}, evidence #${readAfter.evidenceSeq}` : 'not tried'}), so whether the marker is gone cannot be told; ${redo}`);
  }
  const odd = firstUse.find((o) => o.answer === 'unexpected' || o.answer === 'error');
  if (odd) return inconclusive(`${service}: after the reset ${odd.path} neither served nor refused (${odd.detail}, evidence #${odd.evidenceSeq}), so whether the unit is at first use cannot be told; ${redo}`);
  const factory = firstUse.length > 0 ? `, and the unit is back at first use (${firstUse.map((o) => `${o.path}: ${o.detail}`).join('; ')})` : '';
  const down = outage.seen ? `went down (evidence #${outage.login.evidenceSeq}) and came back` : 'answered throughout (a reset without a reboot)';
  const credentialPart = test.credentialChanged
    ? ` and the temporary credential for "${credential}" set before it is refused (#${login.evidenceSeq})`
    : `; the credential part was not tested: it needs services[].credentialChange on ${service}, since the declared credential may rightly work again after a reset`;
  return pass(`${service}: after the reset (evidence #${reset.evidenceSeq}) the device ${down}; the user data marker seen before it (#${test.markerSeen.evidenceSeq}) is gone (#${readAfter.evidenceSeq})${credentialPart}${factory}; ${redo}`);
}
