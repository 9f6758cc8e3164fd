import type { DeviceProfile } from '../../profile/types.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { ATTACKS, RESTORE_TRIES } from './attempt-plan.js';
import { handsOnGap } from './trial.js';

/** Whether this run may play the update server against the device (it can change the device). */
export function updateHandsOn(profile: DeviceProfile): boolean {
  return profile.handsOn.includes('update') && handsOnGap(profile.update) === null;
}

/** What a run without the hands-on trial says instead: exactly what the profile or the command line lacks. */
export function handsOnNotRun(profile: DeviceProfile): CheckOutcome {
  const gap = handsOnGap(profile.update);
  const optIn = profile.handsOn.includes('update') ? '' : '--hands-on update (or update.handsOn: true), because the trial can change the device';
  return inconclusive(`the hands-on update trial did not run: it needs ${[gap?.replace('the hands-on update trial needs ', ''), optIn].filter(Boolean).join(' and ')}`);
}

/**
 * Budget of a check that may run the whole trial: every attempt, and the restores after each attack, each
 * waiting at most three times the declared wait (for a readable version, the download, the version to
 * settle), plus its trigger (a lab-host command may take its whole timeout) and a margin for the reads.
 */
export function trialBudgetMs(profile: DeviceProfile): number {
  const update = profile.update;
  const attempts = ATTACKS.length * (1 + RESTORE_TRIES) + 2;
  const trigger = update?.trigger && 'hook' in update.trigger ? (profile.hooks?.commands[update.trigger.hook]?.timeoutSeconds ?? 60) : 60;
  return attempts * (3 * (update?.waitSeconds ?? 120) + trigger + 30) * 1000;
}
