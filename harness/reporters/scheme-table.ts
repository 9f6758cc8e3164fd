import type { SchemeView } from '../schemes/view-schema.js';

/** The console view of a scheme view. English only, so every character is one column wide. */
export function renderSchemeTable(view: SchemeView): string {
  const width = Math.max(2, ...view.requirements.map((r) => r.id.length));
  const lines = [
    `${view.scheme.name} (${view.scheme.version}) · ${view.device.vendor} ${view.device.model} ${view.device.firmware} · run ${view.run.id}`,
    '* = mapping inferred, not confirmed',
    '',
    ...view.requirements.map(
      (r) => `${r.id.padEnd(width)}  ${(r.verdict ?? 'NOT COVERED').padEnd(14)}${r.confirmed ? ' ' : '*'} ${r.title} — ${r.reason}`,
    ),
  ];
  if (view.run.status !== 'complete') lines.push('', `Run ${view.run.status}: results are incomplete.`);
  return `${lines.join('\n')}\n`;
}
