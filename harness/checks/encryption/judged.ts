import { cryptoRulesRef } from '../../crypto/effective.js';
import type { CryptoFinding } from '../../crypto/finding.js';
import { cryptoOutcome } from '../../crypto/verdict.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';

/** Records the findings and the rules that produced them next to the observation, and turns them into the verdict. */
export function judged(ctx: CheckContext, findings: CryptoFinding[], observationSeq: number, passReason: string): CheckOutcome {
  ctx.evidence.record({
    kind: 'note',
    summary: `judged under ${ctx.crypto.version}: ${findings.length === 0 ? 'nothing offending' : `${findings.length} finding(s)`} (evidence #${observationSeq})`,
    target: ctx.target,
    data: { rules: cryptoRulesRef(ctx.crypto), findings },
  });
  return cryptoOutcome(findings, ctx.crypto, passReason);
}
