import type { RejudgeRecord } from '../evidence/records.js';
import type { Results } from '../results/schema.js';

/**
 * What `jcstar report --rules` prints after the table: the rules, every changed verdict of a check and of a
 * requirement (old → new, and why), and the checks that kept their stored verdict.
 */
export function describeRejudgement(rejudge: RejudgeRecord, before: Results, after: Results): string {
  const under = (['crypto', 'policy'] as const)
    .filter((kind) => rejudge.rules[kind] !== undefined)
    .map((kind) => `${kind === 'crypto' ? 'crypto rules' : 'policy'} ${after.rules[kind]} (the run was judged under ${before.rules[kind]})`);
  const lines = [`re-judged ${rejudge.rejudged.length} check(s) under ${under.join(' and ')}`];
  const requirements = after.requirements.flatMap((r) => {
    const old = before.requirements.find((b) => b.id === r.id);
    return old && old.verdict !== r.verdict ? [`  requirement ${r.id}: ${old.verdict} → ${r.verdict}: ${r.reason}`] : [];
  });
  if (rejudge.changes.length === 0 && requirements.length === 0) lines.push('no verdict changed');
  else {
    lines.push('changed verdicts:');
    lines.push(...rejudge.changes.map((c) => `  ${c.checkId} (${c.requirement}): ${c.from} → ${c.to}: ${c.reason}`));
    lines.push(...requirements);
  }
  const kept = rejudge.kept;
  if (kept.length > 0) lines.push(`kept their stored verdict (${kept.length}):`, ...kept.map((k) => `  ${k.checkId}: ${k.why}`));
  return `${lines.join('\n')}\n`;
}
