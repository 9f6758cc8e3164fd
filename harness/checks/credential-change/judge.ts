import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import type { LoginStep, ProcedureResult } from './steps.js';

/** The restore, when the device might hold the temporary value: steps 5 to 7. */
export type Restore =
  | { needed: false }
  | { needed: true; procedure: ProcedureResult; oldBack: LoginStep; temporaryGone: LoginStep };

export interface ChangeTest {
  service: string;
  change: ProcedureResult;
  oldAfter: LoginStep;
  newAfter: LoginStep;
  restore: Restore;
}

/**
 * Only a device that provably refuses the new value and still takes the old one was left as it was;
 * anything else may hold the temporary value and must be restored.
 */
export function restoreNeeded(oldAfter: LoginStep, newAfter: LoginStep): boolean {
  return !(oldAfter.outcome === 'accepted' && newAfter.outcome === 'rejected');
}

/** Why the unit was not put back as it was, or null when it was (or never changed). */
export function restoreFailure(restore: Restore): string | null {
  if (!restore.needed) return null;
  const { procedure, oldBack, temporaryGone } = restore;
  if (oldBack.outcome !== 'accepted') {
    return `the original value is not accepted after the restore (procedure: ${procedure.detail}, evidence #${procedure.evidenceSeq}; login: ${oldBack.detail}, evidence #${oldBack.evidenceSeq})`;
  }
  if (temporaryGone.outcome === 'accepted') return `the device still accepts the temporary value after the restore (evidence #${temporaryGone.evidenceSeq})`;
  return null;
}

/** TS 103 701 5.1-4-2: after the change the old value is rejected and the new one accepted. */
export function judgeChange(test: ChangeTest): CheckOutcome {
  const { service, change, oldAfter, newAfter } = test;
  const failure = restoreFailure(test.restore);
  const loud = failure
    ? `. RESTORE FAILED: ${failure}; the unit may now hold the temporary password, which jcstar never records: the lab must reset the unit`
    : '';
  if (!change.ok) {
    return inconclusive(`${service}: the change procedure failed (${change.detail}, evidence #${change.evidenceSeq}), so whether the value can be changed is not shown${loud}`);
  }
  if (oldAfter.outcome === 'accepted') {
    const also = newAfter.outcome === 'accepted' ? '; the new value is accepted too' : newAfter.outcome === 'rejected' ? ' and the new one is refused: the change had no effect' : '';
    return fail(`${service}: the old value is still accepted after a change the device reported as done (${change.detail}, evidence #${change.evidenceSeq}; login: evidence #${oldAfter.evidenceSeq})${also}${loud}`);
  }
  if (newAfter.outcome === 'rejected') {
    return fail(`${service}: the new value is refused after a change the device reported as done (${change.detail}, evidence #${change.evidenceSeq}; login: evidence #${newAfter.evidenceSeq})${loud}`);
  }
  const unclear = [oldAfter, newAfter].find((s) => s.outcome !== 'accepted' && s.outcome !== 'rejected');
  if (unclear) {
    return inconclusive(`${service}: whether the change took effect cannot be told: a login after it gave ${unclear.outcome} (${unclear.detail}, evidence #${unclear.evidenceSeq})${loud}`);
  }
  if (failure || !test.restore.needed) {
    return inconclusive(`${service}: the old value was rejected and the new one accepted after the change${loud}`);
  }
  const { procedure, oldBack } = test.restore;
  return pass(`${service}: after the change (evidence #${change.evidenceSeq}) the old value was rejected (#${oldAfter.evidenceSeq}) and the new one accepted (#${newAfter.evidenceSeq}); the original value was restored (#${procedure.evidenceSeq}) and accepted again (#${oldBack.evidenceSeq})`);
}
