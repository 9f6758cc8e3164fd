import type { Results } from '../results/schema.js';
import { VERDICTS, type Verdict } from '../verdicts/verdict.js';
import { VERDICT_STYLE } from './verdict-style.js';

/** The console table printed at the end of a run. English only, so every character is one column wide. */

const WIDTH = { id: 7, verdict: 14, title: 34, checks: 6 };
const GAP = '  ';

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export function renderRequirementTable(results: Results, options: { color: boolean }): string {
  const paint = (v: Verdict, text: string) => (options.color ? `\x1b[${VERDICT_STYLE[v].ansi}m${text}\x1b[0m` : text);
  const bold = (text: string) => (options.color ? `\x1b[1m${text}\x1b[0m` : text);
  const row = (id: string, verdict: string, title: string, checks: string, reason: string) =>
    [id.padEnd(WIDTH.id), verdict, truncate(title, WIDTH.title).padEnd(WIDTH.title), checks.padStart(WIDTH.checks), reason].join(GAP);

  const lines = [
    bold(row('ID', 'Verdict'.padEnd(WIDTH.verdict), 'Title', 'Checks', 'Reason')),
    ...results.requirements.map((q) =>
      // Pad before colouring: escape codes have length but no width.
      row(q.id, paint(q.verdict, q.verdict.padEnd(WIDTH.verdict)), q.title, String(q.checks.length), q.reason),
    ),
    '',
  ];
  if (results.run.status !== 'complete') {
    lines.push(paint('FAIL', `Run ${results.run.status}: results are incomplete. ${results.run.statusReason ?? ''}`.trim()));
  }
  const counts = VERDICTS.map((v) => paint(v, `${results.summary.requirements[v] ?? 0} ${v}`));
  lines.push(`${results.requirements.length} requirements: ${counts.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
