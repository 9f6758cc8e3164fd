import type { CryptoFinding } from './finding.js';
import type { RuleId, SeverityList } from './schema.js';

export type Grade = { severity: 'allow' } | { severity: 'warn' | 'fail'; why: string };

const UNLISTED = 'on no list of the rules';

/** Where an item stands on a judged list; anything the list does not name fails. */
export function grade(list: SeverityList, item: string): Grade {
  if (list.allow.includes(item)) return { severity: 'allow' };
  for (const severity of ['warn', 'fail'] as const) {
    const group = list[severity].find((g) => g.items.includes(item));
    if (group) return { severity, why: group.why };
  }
  return { severity: 'fail', why: UNLISTED };
}

/**
 * An SSH algorithm list or the TLS groups: the client picks, so a warn item is safe only while the same
 * list offers a clean item too; alone, it fails and says so. `ignore` names items that are not options.
 */
export function judgeList(rule: RuleId, label: string, offered: readonly string[], list: SeverityList, ignore: readonly string[] = []): CryptoFinding[] {
  const items = [...new Set(offered)].filter((item) => !ignore.includes(item));
  const clean = items.some((item) => grade(list, item).severity === 'allow');
  return items.flatMap((item): CryptoFinding[] => {
    const graded = grade(list, item);
    if (graded.severity === 'allow') return [];
    const subject = `${label} ${item}`;
    if (graded.severity === 'fail') return [{ rule, item: `${subject} (${graded.why})`, subject, severity: 'fail' }];
    if (clean) return [{ rule, item: `${subject} (${graded.why})`, subject, severity: 'warn' }];
    return [{ rule, item: `${subject} (${graded.why}), and no clean ${label} is offered beside it`, subject, severity: 'fail' }];
  });
}
