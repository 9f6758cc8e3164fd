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

/** PASS when the guesses a day an attacker could make stay within the policy's limit; FAIL above it. */
export function judgeBruteForce(inputs: BruteForceJudgeInputs, maxGuessesPerDay: number): CheckOutcome {
  const { service, mechanism, basis, projectedGuessesPerDay: projected, authAttemptsPerSecond } = inputs;
  // Refusals met at jcstar's own pace, when that pace is itself under the limit, show nothing either way.
  if (mechanism === 'none' && 86_400_000 / (1000 / authAttemptsPerSecond) <= maxGuessesPerDay) {
    return inconclusive(`jcstar's own limit of ${authAttemptsPerSecond} attempts/s is too low to show more than ${maxGuessesPerDay} guesses a day; raise policy.rateLimit.authAttemptsPerSecond to judge ${service}`);
  }
  const figure = `${projected.toLocaleString('en-US')} guesses/day projected (policy limit ${maxGuessesPerDay.toLocaleString('en-US')})`;
  if (projected <= maxGuessesPerDay) return pass(`${service}: ${mechanism}; ${basis}; ${figure}`);
  return fail(`${service}: ${mechanism === 'none' ? 'no brute-force protection seen' : `${mechanism} too weak`}; ${basis}; ${figure}`);
}
