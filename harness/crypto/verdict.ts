import { fail, inconclusive, manual, pass, type CheckOutcome } from '../verdicts/outcome.js';
import type { EffectiveCryptoRules } from './effective.js';
import type { CryptoFinding } from './finding.js';

/**
 * FAIL naming every failing item; else INCONCLUSIVE when a fact the rules need was not read; else MANUAL
 * when reviews remain; else PASS. Warnings go with every verdict and are named in a PASS reason. The reason
 * always carries the rule-set version, so a verdict can be traced to the rules that produced it.
 */
export function cryptoOutcome(findings: CryptoFinding[], rules: EffectiveCryptoRules, passReason: string): CheckOutcome {
  const rulesNote = `(rules ${rules.version})`;
  const items = (severity: CryptoFinding['severity']) => findings.filter((f) => f.severity === severity).map((f) => f.item);
  const [failed, notRead, review, warnings] = [items('fail'), items('unread'), items('review'), items('warn')];
  const also = (label: string, list: string[]) => (list.length > 0 ? `; ${label}: ${list.join('; ')}` : '');
  const withWarnings = (outcome: CheckOutcome): CheckOutcome => (warnings.length > 0 ? { ...outcome, warnings } : outcome);
  if (failed.length > 0) return withWarnings(fail(`${failed.join('; ')} ${rulesNote}${also('not read', notRead)}${also('to review', review)}`));
  if (notRead.length > 0) return withWarnings(inconclusive(`${notRead.join('; ')} ${rulesNote}${also('to review', review)}`));
  if (review.length > 0) return withWarnings(manual(`to review: ${review.join('; ')} ${rulesNote}`));
  return withWarnings(pass(`${passReason}${warnings.length > 0 ? `, with ${warnings.length} warning(s): ${warnings.join('; ')}` : ''} ${rulesNote}`));
}
