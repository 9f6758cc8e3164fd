import type { ActionObservation } from '../../actions/action-observation.js';
import type { DeviceReturn } from '../../actions/await-device.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import type { LoginStep } from '../credential-change/steps.js';
import type { FirstUseObservation } from '../default-password/first-use.js';

/** What a data-deletion test established after the marker was seen on the device (TS 103 701 5.11-1). */
export interface DeletionTest {
  service: string;
  credential: string;
  recoverySeconds: number;
  /** The read before the reset that showed the marker: the positive control. */
  markerSeen: ActionObservation;
  reset: ActionObservation;
  recovery: DeviceReturn;
  /** The read after the reset; null when the device never came back. */
  readAfter: ActionObservation | null;
  markerAfter: boolean;
  /** First-use requests after the reset, for a device declared user-set-at-first-use; empty otherwise. */
  firstUse: FirstUseObservation[];
}

/**
 * PASS only when the marker is gone, the declared credential is refused and, for a user-set-at-first-use
 * device, it is back at first use; FAIL naming whatever survived the reset.
 */
export function judgeDeletion(test: DeletionTest): CheckOutcome {
  const { service, credential, reset, recovery, readAfter, markerAfter, firstUse } = test;
  const redo = 'the unit was reset: set it up again with the declared credential before the next run';
  if (!recovery.back) {
    const last = recovery.last ? ` (last login: ${recovery.last.detail}, evidence #${recovery.last.evidenceSeq})` : '';
    return inconclusive(`${service}: the device did not answer a login within ${test.recoverySeconds} s after the reset (${reset.action} ${reset.detail}, evidence #${reset.evidenceSeq})${last}, so what survived it cannot be seen`);
  }
  const survived: string[] = [];
  if (readAfter?.ok && markerAfter) survived.push(`the user data marker (read: ${readAfter.action}, evidence #${readAfter.evidenceSeq})`);
  const login: LoginStep = recovery.login;
  if (login.outcome === 'accepted') survived.push(`the credential "${credential}" set before the reset, which still logs in (evidence #${login.evidenceSeq})`);
  const inUse = firstUse.find((o) => o.answer === 'operating' || o.answer === 'login-offered');
  if (inUse && login.outcome !== 'accepted') survived.push(`a configured password: ${inUse.path} answers ${inUse.detail} instead of the first-use setup (evidence #${inUse.evidenceSeq})`);
  if (survived.length > 0) {
    const resetNote = reset.ok ? '' : ` (the reset itself reported ${reset.detail}, evidence #${reset.evidenceSeq})`;
    return fail(`${service}: the declared factory reset left ${survived.join(' and ')}${resetNote}`);
  }
  if (!readAfter?.ok) {
    return inconclusive(`${service}: after the reset the user data could not be read (${readAfter ? `${readAfter.action} ${readAfter.detail}, evidence #${readAfter.evidenceSeq}` : 'not tried'}), so whether the marker is gone cannot be told; ${redo}`);
  }
  const odd = firstUse.find((o) => o.answer === 'unexpected' || o.answer === 'error');
  if (odd) return inconclusive(`${service}: after the reset ${odd.path} neither served nor refused (${odd.detail}, evidence #${odd.evidenceSeq}), so whether the unit is at first use cannot be told; ${redo}`);
  const factory = firstUse.length > 0 ? `, and the unit is back at first use (${firstUse.map((o) => `${o.path}: ${o.detail}`).join('; ')})` : '';
  return pass(
    `${service}: after the reset (evidence #${reset.evidenceSeq}) the user data marker seen before it (#${test.markerSeen.evidenceSeq}) is gone (#${readAfter.evidenceSeq}) and the credential "${credential}" is refused (#${login.evidenceSeq})${factory}; ${redo}`,
  );
}
