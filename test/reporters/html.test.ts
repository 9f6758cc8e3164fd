import { expect } from 'chai';
import { renderHtml } from '../../harness/reporters/html.js';
import type { Results } from '../../harness/results/schema.js';
import { interrupted, sampleResults, XSS_PAYLOAD } from '../fixtures/results/sample.js';

function section(page: string, id: string): string {
  const start = page.indexOf(`<section id="${id}">`);
  expect(start, `section ${id}`).to.be.greaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start));
}

describe('renderHtml', () => {
  const page = renderHtml(sampleResults);

  it('is a UTF-8 HTML5 document that renders Japanese titles as text', () => {
    expect(page.startsWith('<!DOCTYPE html>')).to.equal(true);
    expect(page).to.include('<meta charset="utf-8">');
    expect(page).to.include('<span lang="ja">共通でないデフォルトパスワード</span>');
  });

  it('has a row for every requirement and a block for every check', () => {
    for (const q of sampleResults.requirements) expect(page).to.include(`<tr id="req-${q.id}">`);
    for (const c of sampleResults.checks) {
      expect(page).to.include(`<article class="check" id="check-${c.id}">`);
      expect(page).to.include(`<a href="#check-${c.id}">`);
    }
  });

  it('shows warnings in amber beside a PASS, in the check and in its requirement row', () => {
    const start = page.indexOf('id="check-S1.1-12.tls-versions"');
    const block = page.slice(start, page.indexOf('</article>', start));
    expect(block).to.include('<span class="badge v-PASS">PASS</span> <span class="badge warning">1 warning</span>');
    expect(block).to.include('<dt>Warnings</dt><dd><ul class="warnings"><li>accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA on TLSv1.2 (CBC)</li></ul></dd>');
    expect(page).to.match(/\.badge\.warning \{ color: #7a3e00; background: #ffe3c2; \}/);
    expect(section(page, 'requirements')).to.include('S1.1-12.tls-versions</a> <span class="badge warning">1 warning</span>');
    expect(page.split('class="badge warning"').length - 1).to.equal(2);
  });

  it('loads nothing from the network', () => {
    const urls = [...page.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    expect(urls).not.to.be.empty;
    for (const url of urls) expect(url, url).not.to.match(/^([a-z][a-z0-9+.-]*:|\/\/)/i);
    expect(page).not.to.match(/<link\b|<script[^>]*\bsrc|@import|url\(/i);
    // Declared URLs are still shown, as text.
    expect(section(page, 'declared')).to.include('<dd>https://example.com/security</dd>');
  });

  it('escapes markup the device sent back', () => {
    expect(page).not.to.include(XSS_PAYLOAD);
    expect(page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.match(/<script/g)).to.have.lengthOf(1); // only the inline print helper
  });

  it('shows control characters in excerpts as escapes', () => {
    const check = sampleResults.checks[0];
    const evil: Results = {
      ...sampleResults,
      checks: [{ ...check, evidence: [{ ...check.evidence[1], received: 'ok\u001b[2J\u0000\u202egnp.exe' }] }],
    };
    expect(renderHtml(evil)).to.include('<pre>ok\\x1b[2J\\x00\\u202egnp.exe</pre>');
  });

  it('links artifacts inside the run folder with their hashes', () => {
    const art = sampleResults.checks.find((c) => c.id === 'S1.1-12.cleartext-login')!.evidence[0].artifacts[0];
    expect(page).to.include('<a href="artifacts/S1.1-12/login%20%22page%22.html">login &quot;page&quot;.html</a>');
    expect(page).to.include(`sha256 ${art.sha256}`);
  });

  it('separates what was observed from what was declared', () => {
    const observed = section(page, 'observed');
    const declared = section(page, 'declared');
    for (const c of sampleResults.checks) {
      const block = `id="check-${c.id}"`;
      expect(c.basis === 'observed' ? observed : declared, c.id).to.include(block);
      expect(c.basis === 'observed' ? declared : observed, c.id).not.to.include(block);
    }
    for (const d of sampleResults.declarations) {
      expect(declared).to.include(`<dt id="decl-${d.key}">${d.key}</dt>`);
      expect(observed).not.to.include(`decl-${d.key}`);
    }
  });

  it('marks unconfirmed catalogue fields', () => {
    const row = (id: string) => page.slice(page.indexOf(`<tr id="req-${id}">`), page.indexOf('</tr>', page.indexOf(`<tr id="req-${id}">`)));
    const markers = (id: string) => row(id).split('class="unconfirmed"').length - 1;
    expect(markers('S1.1-05')).to.equal(1); // only the ETSI mapping is inferred
    expect(markers('S1.1-09')).to.equal(3);
    expect(row('S1.1-09')).to.include('topic-unconfirmed');
    expect(row('S1.1-02')).to.include('psti-equivalent');
  });

  it('tables every interface the inventory found: state, service, declared or not, debug services, and the checks on it', () => {
    const table = section(page, 'interfaces');
    const row = (port: string) => table.slice(table.indexOf(`<td>${port}</td>`), table.indexOf('</tr>', table.indexOf(`<td>${port}</td>`)));
    expect(row('443/tcp')).to.include('<td>TLS http</td>').and.to.include('<td>web-admin</td>');
    for (const id of sampleResults.interfaces[0]!.checks) expect(row('443/tcp')).to.include(`<a href="#check-${id}">${id}</a>`);
    expect(row('2323/tcp')).to.include('<strong>not declared</strong>').and.to.include('<strong>debug/factory:</strong> Telnet, a login shell in plaintext');
    expect(row('5683/udp')).to.include('<td>open|filtered</td>');
    const none: Results = { ...sampleResults, interfaces: [] };
    expect(renderHtml(none)).not.to.include('<section id="interfaces">');
  });

  it('gathers every per-port table into one section, escaped and linked to its check', () => {
    expect(page).not.to.include('<section id="encryption">');
    const results: Results = structuredClone(sampleResults);
    const graded = results.checks[0]!;
    graded.evidence[0]!.data = {
      table: { caption: 'TLS on 443/tcp', header: ['Version', 'Cipher suites'], rows: [['TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n<b>x</b>']] },
    };
    const encryption = section(renderHtml(results), 'encryption');
    expect(encryption).to.include(`<a href="#check-${graded.id}">${graded.id}</a>`);
    expect(encryption).to.include('<caption>TLS on 443/tcp</caption>');
    expect(encryption).to.include('<tr><td>TLSv1.2</td><td>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n&lt;b&gt;x&lt;/b&gt;</td></tr>');
  });

  it('warns prominently when the run was interrupted, and only then', () => {
    expect(page).not.to.include('role="alert"');
    const cut = renderHtml(interrupted());
    expect(cut).to.match(/<p class="banner" role="alert"><strong>Run interrupted: results are incomplete\.<\/strong> stopped by the operator \(SIGINT\)<\/p>/);
    expect(cut.indexOf('role="alert"')).to.be.lessThan(cut.indexOf('<section id="summary">'));
  });
});
