import { cryptoRulesRef, type EffectiveCryptoRules } from '../../crypto/effective.js';
import type { CryptoFinding } from '../../crypto/finding.js';
import { cryptoOutcome } from '../../crypto/verdict.js';
import type { EvidenceInput } from '../../evidence/records.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';

/**
 * What a crypto check concludes from one observation under one rule set. The live check and
 * `jcstar report --rules` both build it with the same function, so a re-judged verdict is the one a run would give.
 */
export interface CryptoJudgement {
  findings: CryptoFinding[];
  passReason: string;
}

/** Which judge reads a recorded observation again: stored in the observation's data as `judge`. */
export type CryptoJudgeKind = 'tls' | 'ssh' | 'dtls';

/** Records the findings and the rules that produced them next to the observation, and turns them into the verdict. */
export function judged(ctx: CheckContext, findings: CryptoFinding[], observationSeq: number, passReason: string): CheckOutcome {
  ctx.evidence.record({ ...judgedNote('judged', ctx.crypto, findings, observationSeq), target: ctx.target });
  return cryptoOutcome(findings, ctx.crypto, passReason);
}

/** The note that sits next to an observation: which rules judged it and what they found. */
export function judgedNote(verb: 'judged' | 're-judged', rules: EffectiveCryptoRules, findings: CryptoFinding[], observationSeq: number): EvidenceInput {
  return {
    kind: 'note',
    summary: `${verb} under ${rules.version}: ${describeFindings(findings)} (evidence #${observationSeq})`,
    data: { rules: cryptoRulesRef(rules), findings },
  };
}

/** "2 fail, 3 warn" or "nothing to report". */
function describeFindings(findings: CryptoFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...counts].map(([severity, n]) => `${n} ${severity}`).join(', ') || 'nothing to report';
}
