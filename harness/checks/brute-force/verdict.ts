import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import type { BruteForceMechanism } from './observation.js';

/**
 * What S1.1-04 judges once a trial has measured the device: recorded with the observation, so that
 * `jcstar report --policy` judges it again, with this same function, under another guesses-a-day limit.
 */
export interface BruteForceJudgeInputs {
  service: string;
  mechanism: BruteForceMechanism;
  basis: string;
  projectedGuessesPerDay: number;
  /** jcstar's own pace in the trial (policy.rateLimit): a device that refuses promptly was shown to take at least this much. */
  authAttemptsPerSecond: number;
}

/** A measured rate this close to jcstar's own pace may be that pace, not the device's hold-back. */
const PACE_BOUND_SHARE = 0.8;

/** PASS when the guesses a day an attacker could make stay within the policy's limit; FAIL above it. */
export function judgeBruteForce(inputs: BruteForceJudgeInputs, maxGuessesPerDay: number): CheckOutcome {
  const { service, mechanism, basis, projectedGuessesPerDay: projected, authAttemptsPerSecond } = inputs;
  const ownPacePerDay = 86_400 * authAttemptsPerSecond;
  // Refusals met at jcstar's own pace (prompt ones, or a delay shorter than jcstar's spacing), when that pace
  // is itself under the limit, show nothing either way: the device may take guesses faster still.
  const paceBound = mechanism === 'none' || projected >= ownPacePerDay * PACE_BOUND_SHARE;
  if (paceBound && ownPacePerDay <= maxGuessesPerDay) {
    return inconclusive(`jcstar's own limit of ${authAttemptsPerSecond} attempts/s is too low to show more than ${maxGuessesPerDay.toLocaleString('en-US')} guesses a day; raise policy.rateLimit.authAttemptsPerSecond to judge ${service}`);
  }
  const figure = `${projected.toLocaleString('en-US')} guesses/day projected (policy limit ${maxGuessesPerDay.toLocaleString('en-US')})`;
  if (projected <= maxGuessesPerDay) return pass(`${service}: ${mechanism}; ${basis}; ${figure}`);
  return fail(`${service}: ${mechanism === 'none' ? 'no brute-force protection seen' : `${mechanism} too weak`}; ${basis}; ${figure}`);
}
