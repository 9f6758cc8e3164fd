import type { Finding } from '../findings/schema.js';
import { VERDICT_STYLE } from '../reporters/verdict-style.js';
import type { Verdict } from '../verdicts/verdict.js';
import type { RunDiff, RunRef, VerdictChange } from './schema.js';

/** `jcstar diff` for people: what changed, what was fixed, what is new. */

const FINDING_ANSI = { fixed: '32', new: '31', unchanged: '90' } as const;

export function renderDiff(diff: RunDiff, options: { color: boolean }): string {
  const sgr = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const verdict = (v: Verdict | null) => (v === null ? '(absent)' : sgr(VERDICT_STYLE[v].ansi, v));
  const run = (r: RunRef) => `${r.runId} (${r.device.vendor} ${r.device.model} ${r.device.firmware}, unit ${r.device.unit}${r.status === 'complete' ? '' : `, ${r.status}`})`;
  const width = (changes: VerdictChange[]) => Math.max(0, ...changes.map((c) => c.id.length));
  const change = (pad: number) => (c: VerdictChange) => `  ${c.id.padEnd(pad)}  ${verdict(c.before)} → ${verdict(c.after)}${c.change === 'changed' ? '' : ` (${c.change})`}`;
  const finding = (state: keyof typeof FINDING_ANSI) => (f: Finding) =>
    `  ${sgr(FINDING_ANSI[state], state.padEnd(9))}  ${f.severity.padEnd(8)}  ${f.requirement}  ${f.checkId}: ${f.item}${state === 'fixed' ? '' : `\n  ${' '.repeat(9)}  ${' '.repeat(8)}  remedy: ${f.remedy}`}`;
  const counted = (changes: VerdictChange[], kind: VerdictChange['change']) => changes.filter((c) => c.change === kind).length;
  const { fixed, unchanged } = diff.findings;
  const lines = [
    `before: ${run(diff.before)}`,
    `after:  ${run(diff.after)}`,
    '',
    `Requirements: ${diff.requirements.length} changed`,
    ...diff.requirements.map(change(width(diff.requirements))),
    '',
    `Checks: ${counted(diff.checks, 'changed')} changed, ${counted(diff.checks, 'added')} added, ${counted(diff.checks, 'removed')} removed`,
    ...diff.checks.map(change(width(diff.checks))),
    '',
    `Findings: ${fixed.length} fixed, ${diff.findings.new.length} new, ${unchanged.length} unchanged`,
    ...fixed.map(finding('fixed')),
    ...diff.findings.new.map(finding('new')),
    ...unchanged.map(finding('unchanged')),
    '',
    ...(diff.regression
      ? [sgr('31', `Regression: ${diff.regressions.length} reason(s)`), ...diff.regressions.map((why) => `  ${why}`)]
      : [sgr('32', 'No regression: the run completed, no verdict got worse and no new finding.')]),
  ];
  return `${lines.join('\n')}\n`;
}
