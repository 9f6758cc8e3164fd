import type { Results } from '../results/schema.js';
import { checkKind, checkSubject, offendingItems } from './offending-items.js';
import { loadRemedies, remedyFor } from './remedies.js';
import type { Remedies } from './remedies-schema.js';
import { SEVERITIES, type Finding, type ReviewItem } from './schema.js';

export interface LabelReadiness {
  /** No finding, nothing to review, and the run completed. */
  ready: boolean;
  findings: Finding[];
  review: ReviewItem[];
}

const TO_REVIEW = new Set(['MANUAL', 'INCONCLUSIVE', 'ERROR']);
const SETTLED = new Set(['PASS', 'NOT_APPLICABLE']);

/** Findings from every FAIL check (one per offending item), and requirements left for a person: from results.json alone. */
export function deriveFindings(results: Results, remedies: Remedies = loadRemedies()): LabelReadiness {
  const findings = results.checks
    .filter((c) => c.verdict === 'FAIL')
    .flatMap((check) =>
      offendingItems(check, results).map((o): Finding => {
        const { severity, remedy } = remedyFor(remedies, {
          kind: checkKind(check),
          rule: o.rule,
          item: o.item,
          subject: checkSubject(check),
          requirement: check.requirement,
          ...o.fields,
        });
        const records = check.evidence.filter((e) => o.seqs.includes(e.seq));
        return {
          key: o.key,
          requirement: check.requirement,
          checkId: check.id,
          checkTitle: check.title,
          severity,
          item: o.item,
          evidence: { checkId: check.id, seqs: o.seqs, artifacts: [...new Set(records.flatMap((e) => e.artifacts.map((a) => a.path)))] },
          remedy,
        };
      }),
    )
    .sort(bySeverity);
  const verdictOf = new Map(results.checks.map((c) => [c.id, c.verdict]));
  const review = results.requirements
    .filter((q) => TO_REVIEW.has(q.verdict))
    .map((q): ReviewItem => ({
      requirement: q.id,
      title: q.title,
      verdict: q.verdict,
      reason: q.reason,
      checks: q.checks.filter((id) => !SETTLED.has(verdictOf.get(id) ?? 'ERROR')),
    }));
  return { ready: findings.length === 0 && review.length === 0 && results.run.status === 'complete', findings, review };
}

function bySeverity(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.requirement.localeCompare(b.requirement) ||
    a.checkId.localeCompare(b.checkId) ||
    a.item.localeCompare(b.item)
  );
}
