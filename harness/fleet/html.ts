import { render } from '../reporters/markup.js';
import type { FleetSummary } from './summary.js';

/** fleet-summary.html: one self-contained page, no scripts; every value from a device or a profile is escaped. */

const esc = (value: string | number) => render(value);

const OUTCOME_LABEL: Record<FleetSummary['outcome'], string> = {
  fail: 'FAIL: at least one finding',
  error: 'ERROR: harness error or unreachable device',
  interrupted: 'INTERRUPTED: not every device finished',
  'no-fail': 'no FAIL and no ERROR',
};

const count = (c: Record<string, number>, v: string) => c[v] ?? 0;

export function renderFleetHtml(summary: FleetSummary): string {
  const devices = summary.devices
    .map((d) => `<tr class="${esc(d.outcome)}"><td><a href="${esc(encodeURI(`${d.folder}/report.html`))}">${esc(d.unit)}</a></td><td>${esc(`${d.device.vendor} ${d.device.model} ${d.device.firmware}`)}</td><td>${esc(d.host)}</td><td>${esc(d.outcome)}</td><td>${esc(d.status)}</td>` +
      `<td>${['PASS', 'FAIL', 'NOT_APPLICABLE', 'INCONCLUSIVE', 'MANUAL', 'ERROR'].map((v) => count(d.requirements, v)).join(' / ')}</td><td>${esc(d.failing.join(', '))}</td></tr>`)
    .join('\n');
  const cross = summary.crossUnit
    .map((c) => `<tr><td>${esc(c.id)}</td><td>${esc(c.verdict)}</td><td>${esc(c.reason)}</td><td>${esc(c.units.join(', '))}</td><td>${esc(c.evidence ?? '')}</td></tr>`)
    .join('\n');
  const notes = summary.notes.map((n) => `<li>${esc(n)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>jcstar ${esc(summary.kind)} summary</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}
tr.fail td{background:#fde2e2}tr.error td{background:#fff1cc}tr.interrupted td{background:#eee}</style></head>
<body>
<h1>jcstar ${esc(summary.kind)} summary: ${esc(OUTCOME_LABEL[summary.outcome])}</h1>
<p>${esc(summary.devices.length)} device(s), generated ${esc(summary.generatedAt)} by ${esc(summary.tool.name)} ${esc(summary.tool.version)}.</p>
<h2>Devices</h2>
<table><thead><tr><th>Unit</th><th>Device</th><th>Host</th><th>Outcome</th><th>Run</th><th>Requirements PASS / FAIL / N/A / INCONCLUSIVE / MANUAL / ERROR</th><th>Failing</th></tr></thead>
<tbody>
${devices}
</tbody></table>
<h2>Checks across units</h2>
<table><thead><tr><th>Check</th><th>Verdict</th><th>Reason</th><th>Units</th><th>Evidence</th></tr></thead>
<tbody>
${cross}
</tbody></table>
${notes ? `<h2>Notes</h2>\n<ul>\n${notes}\n</ul>` : ''}
</body></html>
`;
}
