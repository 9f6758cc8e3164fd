import type { SchemeView, SchemeViewRequirement } from '../schemes/view-schema.js';
import type { Verdict } from '../verdicts/verdict.js';
import { html, Markup } from './markup.js';
import { VERDICT_STYLE } from './verdict-style.js';

/** A small self-contained page: one run seen through another scheme, escaped as html.ts escapes. */

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
.badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-weight:600}.muted{color:#666}ul{margin:0;padding-left:1.1rem}`;

function badge(verdict: Verdict | null): Markup {
  if (verdict === null) return html`<span class="badge muted">not covered</span>`;
  const { fg, bg } = VERDICT_STYLE[verdict].css;
  return html`<span class="badge" style="color:${fg};background:${bg}">${verdict}</span>`;
}

function row(r: SchemeViewRequirement): Markup {
  return html`<tr><td>${r.id}</td><td>${r.title}<div class="muted">${r.reference}</div></td><td>${badge(r.verdict)}</td>
<td>${r.confirmed ? 'confirmed' : 'inferred'}<div class="muted">${r.source}</div></td>
<td><ul>${r.star1.map((s) => html`<li>${s.id} ${badge(s.verdict)} ${s.title}</li>`)}</ul></td><td>${r.reason}</td></tr>`;
}

export function renderSchemeHtml(view: SchemeView): string {
  const { scheme, device, run } = view;
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${scheme.name}: ${device.vendor} ${device.model}</title><style>${new Markup(CSS)}</style></head>
<body>
<h1>${scheme.name} view of a JC-STAR ★1 run</h1>
<p>${device.vendor} ${device.model}, firmware ${device.firmware}, unit ${device.unit} · run ${run.id} (${run.status}, ${run.finishedAt}) · ${view.tool.name} ${view.tool.version}</p>
<p class="muted">${scheme.title}. Mapping ${scheme.version}: ${scheme.basis}. Verdicts roll up from the mapped ★1 requirements (any FAIL → FAIL, all PASS → PASS, else the weakest). An inferred mapping is not an official equivalence.</p>
<table>
<thead><tr><th>ID</th><th>Requirement</th><th>Verdict</th><th>Mapping</th><th>★1 requirements</th><th>Reason</th></tr></thead>
<tbody>
${view.requirements.map(row)}
</tbody>
</table>
</body>
</html>
`.text;
}
