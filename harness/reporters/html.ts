import type { Artifact, CheckResult, Declaration, EvidenceItem, RequirementResult, Results, Target } from '../results/schema.js';
import { isEvidenceTable, type EvidenceTable } from '../evidence/table.js';
import { deriveFindings, type LabelReadiness } from '../findings/derive.js';
import type { Finding, ReviewItem, Severity } from '../findings/schema.js';
import { VERDICTS, type Verdict } from '../verdicts/verdict.js';
import { renderAttemptChart } from './attempt-chart.js';
import { html, Markup, render, visible } from './markup.js';
import { VERDICT_STYLE, WARNING_STYLE } from './verdict-style.js';

/** One self-contained HTML page over results.json: readable offline, in print, and with JavaScript off. */

function anchor(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

// Only ever a path inside the run folder: empty segments are dropped so "//host" cannot become a network URL.
function artifactHref(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).map(encodeURIComponent).join('/');
}

function target(t: Target | null): string {
  if (!t) return '—';
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${host}${t.port === null ? '' : `:${t.port}`}/${t.protocol}`;
}

function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const badge = (v: Verdict) => html`<span class="badge v-${v}">${v}</span>`;
/** Amber, beside the verdict: warnings did not decide it, but a reader must see them. */
const warningBadge = (warnings: string[]) => (warnings.length ? html` <span class="badge warning">${warnings.length} warning${warnings.length === 1 ? '' : 's'}</span>` : null);
const unconfirmed = (confirmed: boolean) =>
  confirmed ? null : html`<span class="unconfirmed" title="not confirmed against the official IPA document">※</span>`;

function header(r: Results): Markup {
  const banner =
    r.run.status === 'complete'
      ? null
      : html`<p class="banner" role="alert"><strong>Run ${r.run.status}: results are incomplete.</strong> ${r.run.statusReason ?? ''}</p>`;
  return html`<header>
<h1>JC-STAR ★1 conformance report</h1>
${banner}
<dl class="facts">
<dt>Tool</dt><dd>${r.tool.name} ${r.tool.version}</dd>
<dt>Device</dt><dd>${r.device.vendor} ${r.device.model}, firmware ${r.device.firmware}, unit ${r.device.unit} (${r.device.category})</dd>
<dt>Target</dt><dd>${r.target.host}; scope ${r.target.scope.join(', ')}</dd>
<dt>Profile</dt><dd>${r.profile.path ?? '(inline)'} <code>sha256 ${r.profile.sha256}</code></dd>
<dt>Run</dt><dd>${r.run.id}, <strong>${r.run.status}</strong></dd>
<dt>Started</dt><dd><time datetime="${r.startedAt}">${r.startedAt}</time></dd>
<dt>Finished</dt><dd><time datetime="${r.finishedAt}">${r.finishedAt}</time></dd>
<dt>Rules</dt><dd>catalogue ${r.rules.catalogue}; policy ${r.rules.policy}${r.rules.crypto ? `; crypto ${r.rules.crypto}` : ''}</dd>
</dl>
</header>`;
}

const severityBadge = (s: Severity) => html`<span class="badge sev-${s}">${s}</span>`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function findingRow(f: Finding): Markup {
  const records = f.evidence.seqs.map((seq) => html` <a href="#${anchor('ev', String(seq))}">#${seq}</a>`);
  return html`<tr>
<td>${severityBadge(f.severity)}</td>
<td><a href="#${anchor('req', f.requirement)}">${f.requirement}</a></td>
<td>${f.item}<br><span class="muted">${f.checkTitle}</span></td>
<td class="remedy">${f.remedy}</td>
<td><a href="#${anchor('check', f.checkId)}">${f.checkId}</a>${records.length ? html`<br>evidence${records}` : null}
${f.evidence.artifacts.map((path) => html`<br><a href="${artifactHref(path)}">${path}</a>`)}</td>
</tr>`;
}

function reviewRow(q: ReviewItem): Markup {
  return html`<li><a href="#${anchor('req', q.requirement)}">${q.requirement}</a> ${badge(q.verdict)} ${q.title}: <span class="muted">${q.reason}</span></li>`;
}

/** For a person in a hurry: can this device apply for the label now, and if not, what to fix first. */
function readiness(r: Results, label: LabelReadiness): Markup {
  const { findings, review } = label;
  const headline = label.ready
    ? html`<p class="readiness ready"><strong>Ready to apply</strong>: no FAIL and nothing to review.</p>`
    : html`<p class="readiness not-ready"><strong>${plural(findings.length, 'finding', 'findings')} to fix, ${plural(review.length, 'item', 'items')} to review</strong>${
        r.run.status === 'complete' ? '' : html`; the run is ${r.run.status}, so these are not all`
      }.</p>`;
  return html`<section id="readiness"><h2>Label readiness</h2>
${headline}
${findings.length
    ? html`<table class="findings"><caption>Findings to fix, most severe first</caption>
<thead><tr><th scope="col">Severity</th><th scope="col">Requirement</th><th scope="col">Offending item</th><th scope="col">Remedy</th><th scope="col">Evidence</th></tr></thead>
<tbody>${findings.map(findingRow)}</tbody></table>`
    : null}
${review.length ? html`<h3>To review</h3><ul class="review">${review.map(reviewRow)}</ul>` : null}
</section>`;
}

function summary(r: Results): Markup {
  const row = (label: string, counts: Record<Verdict, number>) =>
    html`<tr><th scope="row">${label}</th>${VERDICTS.map((v) => html`<td>${counts[v] ?? 0}</td>`)}</tr>`;
  return html`<section id="summary"><h2>Summary</h2>
<table><thead><tr><th></th>${VERDICTS.map((v) => html`<th scope="col">${badge(v)}</th>`)}</tr></thead>
<tbody>${row('Requirements', r.summary.requirements)}${row('Checks', r.summary.checks)}</tbody></table>
</section>`;
}

function requirementRow(q: RequirementResult, warningsOf: Map<string, string[]>): Markup {
  const links = [
    ...q.checks.map((id) => html`<li><a href="#${anchor('check', id)}">${id}</a>${warningBadge(warningsOf.get(id) ?? [])}</li>`),
    ...q.declarations.map((key) => html`<li><a href="#${anchor('decl', key)}">declared: ${key}</a></li>`),
  ];
  return html`<tr id="${anchor('req', q.id)}">
<th scope="row">${q.id}</th>
<td>${q.titleJa ? html`<span lang="ja">${q.titleJa}</span><br>` : null}${q.title}${unconfirmed(q.confirmed.title)}
${q.tags.map((t) => html` <span class="tag">${t}</span>`)}${q.confirmed.statement ? null : html` <span class="tag">statement unconfirmed</span>`}</td>
<td>${q.evaluation}${unconfirmed(q.confirmed.evaluation)}</td>
<td>${q.etsi.join(', ') || '—'}${unconfirmed(q.confirmed.mapping)}</td>
<td>${badge(q.verdict)}</td>
<td>${q.reason}</td>
<td>${links.length ? html`<ul class="plain">${links}</ul>` : '—'}</td>
</tr>`;
}

function requirements(r: Results): Markup {
  const warningsOf = new Map(r.checks.map((c) => [c.id, c.warnings]));
  return html`<section id="requirements"><h2>Requirements</h2>
<table class="requirements"><thead><tr>
<th scope="col">ID</th><th scope="col">Title</th><th scope="col">Evaluation</th><th scope="col">ETSI EN 303 645</th>
<th scope="col">Verdict</th><th scope="col">Reason</th><th scope="col">Checks</th>
</tr></thead>
<tbody>${r.requirements.map((q) => requirementRow(q, warningsOf))}</tbody></table>
</section>`;
}

function artifactItem(a: Artifact): Markup {
  return html`<li><a href="${artifactHref(a.path)}">${a.name}</a> (${a.mediaType}, ${a.bytes} bytes) <code class="hash">sha256 ${a.sha256}</code></li>`;
}

function evidenceItem(e: EvidenceItem): Markup {
  return html`<li id="${anchor('ev', String(e.seq))}">
<p><time datetime="${e.at}">${e.at}</time> <span class="tag">${e.kind}</span> ${e.summary}${e.target ? html` <span class="muted">→ ${target(e.target)}</span>` : null}</p>
${e.sent === null ? null : html`<p class="label">Sent</p><pre>${visible(e.sent)}</pre>`}
${e.received === null ? null : html`<p class="label">Received</p><pre>${visible(e.received)}</pre>`}
${e.data?.timeline ? html`<figure>${new Markup(renderAttemptChart(e.data.timeline))}<figcaption>Attempt timeline; every attempt is in the CSV artifact.</figcaption></figure>` : null}
${isEvidenceTable(e.data?.table) ? evidenceTable(e.data.table) : null}
${e.data === null ? null : html`<p class="label">Data</p><pre>${JSON.stringify(e.data, null, 2)}</pre>`}
${e.artifacts.length ? html`<ul class="artifacts">${e.artifacts.map(artifactItem)}</ul>` : null}
</li>`;
}

function evidenceTable(t: EvidenceTable): Markup {
  return html`<table class="evidence-table"><caption>${t.caption}</caption>
<thead><tr>${t.header.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>${t.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`;
}

/** Every per-port table (TLS, DTLS, SSH) in one place, each linked to the check that observed it. */
function encryption(checks: CheckResult[]): Markup | null {
  const tables = checks.flatMap((c) => c.evidence.filter((e) => isEvidenceTable(e.data?.table)).map((e) => ({ c, table: e.data!.table as EvidenceTable })));
  if (tables.length === 0) return null;
  return html`<section id="encryption"><h2>Protocol encryption per port</h2>
${tables.map(({ c, table }) => html`<p>${badge(c.verdict)} <a href="#${anchor('check', c.id)}">${c.id}</a></p>${evidenceTable(table)}`)}
</section>`;
}

/** The inventory: every port found answering, what answers there, and whether the profile declares it. */
function interfaces(r: Results): Markup | null {
  if (r.interfaces.length === 0) return null;
  const verdictOf = new Map(r.checks.map((c) => [c.id, c.verdict]));
  return html`<section id="interfaces"><h2>Interfaces found on the device</h2>
<table class="interfaces"><thead><tr><th>Port</th><th>State</th><th>Service</th><th>Product</th><th>Declared</th><th>Checks that ran on it</th></tr></thead>
<tbody>${r.interfaces.map((i) => html`<tr>
<td>${i.port}/${i.transport}</td><td>${i.state}</td>
<td>${i.service === null ? '—' : `${i.tls ? 'TLS ' : ''}${i.service}`}${i.debug ? html`<br><strong>debug/factory:</strong> ${i.debug}` : ''}</td>
<td>${i.product ?? i.banner ?? '—'}</td>
<td>${i.declared ?? html`<strong>not declared</strong>`}</td>
<td>${i.checks.length === 0 ? '—' : i.checks.map((id) => html`${badge(verdictOf.get(id) ?? 'INCONCLUSIVE')} <a href="#${anchor('check', id)}">${id}</a><br>`)}</td>
</tr>`)}</tbody></table>
</section>`;
}

function checkBlock(c: CheckResult): Markup {
  // Evidence of anything but a PASS is what a reader came for, so it starts expanded.
  const open = c.verdict === 'PASS' || c.verdict === 'NOT_APPLICABLE' ? '' : new Markup(' open');
  return html`<article class="check" id="${anchor('check', c.id)}">
<h3>${badge(c.verdict)}${warningBadge(c.warnings)} ${c.id}: ${c.title}</h3>
<dl class="facts">
<dt>Requirement</dt><dd><a href="#${anchor('req', c.requirement)}">${c.requirement}</a>${c.mandatory ? '' : ' (optional check)'}</dd>
<dt>Target</dt><dd>${target(c.target)}</dd>
<dt>Reason</dt><dd>${c.reason}</dd>
${c.warnings.length ? html`<dt>Warnings</dt><dd><ul class="warnings">${c.warnings.map((w) => html`<li>${w}</li>`)}</ul></dd>` : null}
<dt>Duration</dt><dd>${duration(c.durationMs)}, from <time datetime="${c.startedAt}">${c.startedAt}</time></dd>
</dl>
${c.evidence.length
    ? html`<details${open}><summary>Evidence (${c.evidence.length})</summary><ol class="evidence">${c.evidence.map(evidenceItem)}</ol></details>`
    : html`<p class="muted">No evidence recorded.</p>`}
</article>`;
}

function value(v: unknown): Markup {
  if (Array.isArray(v)) return html`<ul>${v.map((item) => html`<li>${value(item)}</li>`)}</ul>`;
  if (v !== null && typeof v === 'object') {
    return html`<dl>${Object.entries(v).map(([k, inner]) => html`<dt>${k}</dt><dd>${value(inner)}</dd>`)}</dl>`;
  }
  // Declared URLs stay text: the report must not invite clicks to, or loads from, vendor-supplied addresses.
  return html`${typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined'}`;
}

function declaration(d: Declaration): Markup {
  return html`<dt id="${anchor('decl', d.key)}">${d.key}</dt>
<dd><p>Bears on ${d.requirements.map((id, i) => html`${i ? ', ' : ''}<a href="#${anchor('req', id)}">${id}</a>`)}</p>${value(d.value)}</dd>`;
}

function observed(checks: CheckResult[]): Markup {
  return html`<section id="observed"><h2>Observed on the device</h2>
<p class="muted">What jcstar sent to the device and what came back. Excerpts are redacted and shown verbatim; control characters appear as escapes.</p>
${checks.length ? checks.map(checkBlock) : html`<p>No observed checks ran.</p>`}
</section>`;
}

function runEvidence(items: EvidenceItem[]): Markup {
  if (items.length === 0) return html``;
  return html`<section id="run-evidence"><h2>Run evidence</h2>
<p class="muted">What the run itself saw before and around the checks: the reachability preflight and run-level notes.</p>
<ol class="evidence">${items.map(evidenceItem)}</ol>
</section>`;
}

function declared(r: Results, checks: CheckResult[]): Markup {
  return html`<section id="declared"><h2>Declared by the vendor</h2>
<p class="muted">Statements from the device profile. jcstar did not observe these on the device; a person must judge them.</p>
<h3>Declarations</h3>
${r.declarations.length ? html`<dl class="declarations">${r.declarations.map(declaration)}</dl>` : html`<p>Nothing declared.</p>`}
<h3>Checks on declarations</h3>
${checks.length ? checks.map(checkBlock) : html`<p>No declared-basis checks ran.</p>`}
</section>`;
}

function footer(): Markup {
  return html`<footer><h2>Reading this report</h2>
<dl class="facts">${VERDICTS.map((v) => html`<dt>${badge(v)}</dt><dd>${VERDICT_STYLE[v].meaning}</dd>`)}</dl>
<p><span class="unconfirmed">※</span> marks a catalogue field (title, evaluation type, ETSI mapping) that is inferred from secondary sources and not yet confirmed against the official IPA ★1 document.</p>
<p>This page is a view over <code>results.json</code> in the same run folder; verdicts are decided there, not here. Artifact links are relative to the run folder.</p>
</footer>`;
}

const CSS = `
:root { font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Yu Gothic", Meiryo, sans-serif; color: #1a1a1a; }
body { max-width: 72rem; margin: 0 auto; padding: 1rem; line-height: 1.45; }
h1 { margin-bottom: .25rem; } h2 { border-bottom: 2px solid #ccc; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
dl.declarations > dt { font-weight: 600; margin-top: .75rem; font-family: ui-monospace, monospace; }
.badge { display: inline-block; padding: 0 .4rem; border: 1px solid currentColor; border-radius: .25rem; font: 600 .75rem ui-monospace, monospace; white-space: nowrap; }
${VERDICTS.map((v) => `.v-${v} { color: ${VERDICT_STYLE[v].css.fg}; background: ${VERDICT_STYLE[v].css.bg}; }`).join('\n')}
.sev-critical { color: #fff; background: #8a1111; } .sev-high { color: #8a1111; background: #fadada; }
.sev-medium { color: #6b4e00; background: #fff1c2; } .sev-low { color: #444; background: #e6e6e6; }
.readiness { font-size: 1.2rem; padding: .6rem .8rem; border: 3px solid; } .readiness.ready { color: #0b5d1e; background: #d9f2df; }
.readiness.not-ready { color: #8a1111; background: #fadada; }
table.findings caption { text-align: left; font-weight: 600; } td.remedy { font-weight: 600; }
.badge.warning { color: ${WARNING_STYLE.fg}; background: ${WARNING_STYLE.bg}; }
ul.warnings { margin: 0; padding-left: 1.1rem; color: ${WARNING_STYLE.fg}; background: ${WARNING_STYLE.bg}; }
.banner { border: 3px solid #8a1111; background: #fadada; color: #8a1111; padding: .6rem .8rem; font-size: 1.1rem; }
.tag { display: inline-block; font-size: .75rem; border: 1px solid #999; border-radius: .2rem; padding: 0 .3rem; color: #444; }
.unconfirmed { color: #b45309; font-weight: 700; margin-left: .15rem; }
.muted { color: #555; } .label { font-weight: 600; margin: .4rem 0 0; font-size: .85rem; }
ul.plain { list-style: none; margin: 0; padding: 0; }
.check { border: 1px solid #ccc; border-radius: .3rem; padding: .2rem .9rem .6rem; margin: 1rem 0; }
.check h3 { font-size: 1rem; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .4rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .8rem; margin: .2rem 0; }
code.hash { font-size: .75rem; overflow-wrap: anywhere; }
table.evidence-table { margin: .4rem 0; } table.evidence-table td { white-space: pre-line; font-family: ui-monospace, monospace; font-size: .8rem; }
table.evidence-table caption { text-align: left; font-weight: 600; }
ol.evidence > li { margin-bottom: .6rem; } ol.evidence p { margin: .2rem 0; }
footer { margin-top: 2rem; font-size: .9rem; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .check, tr, pre { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
  .badge, .banner, .readiness { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}`;

// Printing a closed <details> drops its contents, so open them all first; without scripts, failures are open anyway.
const PRINT_SCRIPT = `addEventListener('beforeprint', () => document.querySelectorAll('details').forEach((d) => { d.open = true; }));`;

export function renderHtml(results: Results): string {
  const byBasis = (basis: CheckResult['basis']) => results.checks.filter((c) => c.basis === basis);
  const title = `jcstar ${results.run.id}: ${results.device.vendor} ${results.device.model}`;
  return `<!DOCTYPE html>\n${render(html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${results.tool.name} ${results.tool.version}">
<title>${title}</title>
<style>${new Markup(CSS)}</style>
</head>
<body>
${header(results)}
<main>
${readiness(results, deriveFindings(results))}
${summary(results)}
${requirements(results)}
${interfaces(results)}
${encryption(results.checks)}
${observed(byBasis('observed'))}
${declared(results, byBasis('declared'))}
${runEvidence(results.runEvidence)}
</main>
${footer()}
<script>${new Markup(PRINT_SCRIPT)}</script>
</body>
</html>
`)}`;
}
