import { cryptoRulesRef } from '../../crypto/effective.js';
import type { CryptoFinding } from '../../crypto/finding.js';
import { cryptoOutcome } from '../../crypto/verdict.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';

/** Records the findings and the rules that produced them next to the observation, and turns them into the verdict. */
export function judged(ctx: CheckContext, findings: CryptoFinding[], observationSeq: number, passReason: string): CheckOutcome {
  ctx.evidence.record({
    kind: 'note',
    summary: `judged under ${ctx.crypto.version}: ${describeFindings(findings)} (evidence #${observationSeq})`,
    target: ctx.target,
    data: { rules: cryptoRulesRef(ctx.crypto), findings },
  });
  return cryptoOutcome(findings, ctx.crypto, passReason);
}

/** "2 fail, 3 warn" or "nothing to report". */
function describeFindings(findings: CryptoFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...counts].map(([severity, n]) => `${n} ${severity}`).join(', ') || 'nothing to report';
}
