import { fail, manual, pass, type CheckOutcome } from '../verdicts/outcome.js';
import type { EffectiveCryptoRules } from './effective.js';
import type { CryptoFinding } from './finding.js';

/**
 * FAIL naming every offending item, MANUAL when only reviews remain, else PASS; the reason always ends
 * with the rule-set version, so a verdict can be traced to the rules that produced it.
 */
export function cryptoOutcome(findings: CryptoFinding[], rules: EffectiveCryptoRules, passReason: string): CheckOutcome {
  const rulesNote = `(rules ${rules.version})`;
  const failed = findings.filter((f) => f.severity === 'fail').map((f) => f.item);
  const review = findings.filter((f) => f.severity === 'review').map((f) => f.item);
  const toReview = review.length > 0 ? `; to review: ${review.join('; ')}` : '';
  if (failed.length > 0) return fail(`${failed.join('; ')} ${rulesNote}${toReview}`);
  if (review.length > 0) return manual(`to review: ${review.join('; ')} ${rulesNote}`);
  return pass(`${passReason} ${rulesNote}`);
}
