import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { AttackSurface } from '../../harness/inventory/surface.js';
import { ProfileError } from '../../harness/profile/errors.js';
import { parseProfile } from '../../harness/profile/load.js';
import type { RequirementSuite } from '../../harness/suite/define.js';
import S1_1_05 from '../../suites/S1.1-05-vulnerability-disclosure.js';
import S1_1_16 from '../../suites/S1.1-16-product-information.js';
import { checkContext } from '../support/check-context.js';
import { startPublicPages, type PublicPageServer } from '../support/public-pages.js';
import { DEVICE, tempDir } from '../support/run-profile.js';

const base = { device: DEVICE, target: { host: '127.0.99.22' }, scope: ['127.0.99.22/32'] };
/** Shift_JIS and EUC-JP bytes of the Japanese text, spelled out: Node encodes only UTF-8. */
const SJIS = { reiwa9: '97df986139944e', march31: '338c8e333193fa' }; // 令和9年, 3月31日
const EUC_JP = { date: '32303237c7af33b7ee3331c6fc' }; // 2027年3月31日
const bytes = (...parts: string[]) => Buffer.concat(parts.map((p) => (/^[0-9a-f]+$/.test(p) ? Buffer.from(p, 'hex') : Buffer.from(p, 'latin1'))));
const serve = (headers: Record<string, string>, body: Buffer) => (res: ServerResponse) => res.writeHead(200, headers).end(body);
const VDP_PAGE = '<html><body><h1>Vulnerability disclosure</h1><p>Write to <a href="mailto:psirt@acme.example">psirt&#64;acme.example</a>. We acknowledge a report within 5 business days and send a status update every 30 days.</p></body></html>';

async function runChecks(suite: RequirementSuite, document: Record<string, unknown>) {
  const dir = tempDir();
  const ctx = await checkContext(base);
  ctx.profile = await parseProfile(stringify({ ...base, ...document }), { file: join(dir, 'profile.yaml'), path: null });
  const out: Record<string, { verdict: string; reason: string }> = {};
  for (const check of suite.plan(ctx.profile, new AttackSurface())) {
    const { verdict, reason } = await check.body({ ...ctx, checkId: check.spec.id });
    out[check.spec.id] = { verdict, reason };
  }
  return { out, ctx, dir };
}

describe('public pages: what the vendor publishes carries what is declared', () => {
  let site: PublicPageServer;
  const vdp = (path: string) => ({ url: 'https://acme.example/psirt', contact: 'psirt@acme.example', acknowledgeWithinDays: 5, statusUpdateEveryDays: 30, _page: path });
  const vdpProfile = (path: string, extra: Record<string, unknown> = {}) => {
    const { _page, ...declared } = vdp(path);
    return { declarations: { vulnerabilityDisclosurePolicy: declared, ...extra }, publicPages: [{ url: `${site.base}${_page}`, purpose: 'vulnerability-disclosure' }] };
  };
  const supportProfile = (path: string, extra: Record<string, unknown> = {}) => ({
    declarations: { supportPeriod: { endsOn: '2027-03-31', url: 'https://acme.example/support' }, productInformation: { modelDesignation: 'ACME TEST-1' }, ...extra },
    publicPages: [{ url: `${site.base}${path}`, purpose: 'support-period' }],
  });

  before(async () => {
    site = await startPublicPages({
      '/vdp': { body: VDP_PAGE },
      '/vdp-no-contact': { body: '<p>We acknowledge within 5 days and update every 30 days.</p>' },
      '/vdp-ja': { body: '<p>連絡先: psirt@acme.example。受領から５営業日以内に連絡し、30日ごとに状況をお知らせします。</p>' },
      '/vdp-big': { body: 'z'.repeat(2 * 1024 * 1024) },
      '/vdp-away': { status: 302, headers: { location: '/somewhere-else' } },
      '/support-iso': { type: 'text/plain', body: 'ACME TEST-1: security updates until 2027-03-31.' },
      '/support-en': { body: '<p>Security support for the ACME TEST-1 ends on 31 March 2027.</p>' },
      '/support-us': { body: '<p>Supported through March 31st, 2027.</p>' },
      '/support-ja': { body: '<p>セキュリティアップデートの提供期間：2027年3月31日まで</p>' },
      '/support-wrong': { body: '<p>Security support ends on 31 March 2026.</p>' },
      '/product': { body: '<p>The ACME TEST-1 network camera</p>' },
      '/vdp-words': { body: '<p>Mail psirt@acme.example: we acknowledge within five working days and update you every thirty days.</p>' },
      '/vdp-gzip': serve({ 'content-type': 'text/html', 'content-encoding': 'gzip' }, gzipSync(VDP_PAGE)),
      '/vdp-blocked': { status: 403, body: '<p>Access denied: are you a robot?</p>' },
      '/vdp-removed': { status: 410, body: 'gone' },
      '/vdp-busy': { status: 503, body: 'later' },
      '/vdp-pdf': { type: 'application/pdf', body: '%PDF-1.4 psirt@acme.example 5 days 30 days' },
      '/vdp-odd-charset': { type: 'text/html; charset=x-no-such-charset', body: VDP_PAGE },
      '/vdp-mojibake': serve({ 'content-type': 'text/html; charset=utf-8' }, bytes('<p>psirt@acme.example 5 days 30 days ', '97df9861', '</p>')),
      '/support-sjis': serve({ 'content-type': 'text/html; charset=Shift_JIS' }, bytes('<html><body><p>ACME TEST-1: ', SJIS.reiwa9, SJIS.march31, '</p></body></html>')),
      '/support-eucjp-meta': serve({ 'content-type': 'text/html' }, bytes('<html><head><meta charset="EUC-JP"></head><body><p>', EUC_JP.date, '</p></body></html>')),
      '/support-uk': { body: '<p>Security updates for the ACME TEST-1 until 31/03/2027.</p>' },
      '/support-us-order': { body: '<p>Security updates until 03/31/2027.</p>' },
      '/hostile-tags': { body: `<p>${'<'.repeat(900 * 1024)}` },
      '/hostile-entities': { body: '<p>&#x110000; &#xD800; 31 March 2027</p>' },
    });
  });
  after(() => site.close());
  beforeEach(() => site.requests.splice(0));

  it('PASSes a VDP page that carries the contact and both timelines', async () => {
    const { out, ctx } = await runChecks(S1_1_05, vdpProfile('/vdp'));
    const check = out['S1.1-05/public-page/vulnerability-disclosure']!;
    expect(check.verdict).to.equal('PASS');
    expect(check.reason).to.match(new RegExp(`^the vendor's public page ${site.base}/vdp \\(observed on the web, not on the device; evidence #\\d+\\) carries the contact psirt@acme\\.example, the acknowledgement time \\(5 days\\), the status-update interval \\(30 days\\)$`));
    const exchange = ctx.recorded.find((r) => r.kind === 'exchange')!;
    expect(exchange.artifacts?.map((a) => a.name)).to.deep.equal(['public-page-vulnerability-disclosure.html']);
    expect(exchange.data).to.deep.include({ url: `${site.base}/vdp`, outcome: 'fetched', status: 200, bytes: Buffer.byteLength(VDP_PAGE) });
    expect(site.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /vdp']);
  });

  it('FAILs a VDP page without the contact', async () => {
    const { out } = await runChecks(S1_1_05, vdpProfile('/vdp-no-contact'));
    expect(out['S1.1-05/public-page/vulnerability-disclosure']!.verdict).to.equal('FAIL');
    expect(out['S1.1-05/public-page/vulnerability-disclosure']!.reason).to.match(/\) does not carry the contact psirt@acme\.example$/);
  });

  it('accepts Japanese timelines, but not for UK PSTI, which needs them in English', async () => {
    const plain = await runChecks(S1_1_05, vdpProfile('/vdp-ja'));
    expect(plain.out['S1.1-05/public-page/vulnerability-disclosure']!.verdict).to.equal('PASS');
    const dir = tempDir();
    writeFileSync(join(dir, 'soc.pdf'), 'statement');
    const psti = await runChecks(S1_1_05, vdpProfile('/vdp-ja', { pstiCompliance: { statementOfCompliance: join(dir, 'soc.pdf') } }));
    expect(psti.out['S1.1-05/public-page/vulnerability-disclosure']!.verdict).to.equal('FAIL');
    expect(psti.out['S1.1-05/public-page/vulnerability-disclosure']!.reason).to.match(
      /does not carry the acknowledgement time \(5 days, in English for UK PSTI\), the status-update interval \(30 days, in English for UK PSTI\)$/,
    );
  });

  it('FAILs a declared page that is not there (404)', async () => {
    const { out } = await runChecks(S1_1_05, vdpProfile('/vdp-gone'));
    expect(out['S1.1-05/public-page/vulnerability-disclosure']!.verdict).to.equal('FAIL');
    expect(out['S1.1-05/public-page/vulnerability-disclosure']!.reason).to.match(/\) answered 404 to an anonymous GET: users cannot read the declared vulnerability disclosure policy there$/);
  });

  it('is INCONCLUSIVE on an oversized page, and on a redirect off the list, which it does not follow', async () => {
    const big = await runChecks(S1_1_05, vdpProfile('/vdp-big'));
    expect(big.out['S1.1-05/public-page/vulnerability-disclosure']!.verdict).to.equal('INCONCLUSIVE');
    expect(big.out['S1.1-05/public-page/vulnerability-disclosure']!.reason).to.match(/\/vdp-big is larger than 1048576 bytes; jcstar stopped reading it \(evidence #\d+\), so it was not judged$/);
    expect(big.ctx.recorded.find((r) => r.kind === 'exchange')!.data).to.deep.include({ outcome: 'oversized', status: 200 });
    site.requests.splice(0);
    const away = await runChecks(S1_1_05, vdpProfile('/vdp-away'));
    expect(away.out['S1.1-05/public-page/vulnerability-disclosure']).to.deep.equal({
      verdict: 'INCONCLUSIVE',
      reason: `${site.base}/vdp-away could not be read: ${site.base}/vdp-away redirects (302) to ${site.base}/somewhere-else, which is not on the profile's publicPages list; not followed`,
    });
    expect(site.requests.map((r) => r.path)).to.deep.equal(['/vdp-away']);
  });

  it('reads the support end date in ISO, English and Japanese spellings, and FAILs a wrong date', async () => {
    for (const path of ['/support-iso', '/support-en', '/support-us', '/support-ja']) {
      const { out } = await runChecks(S1_1_16, supportProfile(path));
      expect(out['S1.1-16/public-page/support-period'], path).to.deep.include({ verdict: 'PASS' });
      expect(out['S1.1-16/public-page/support-period']!.reason, path).to.match(/carries the end of the support period 2027-03-31$/);
    }
    const wrong = await runChecks(S1_1_16, supportProfile('/support-wrong'));
    expect(wrong.out['S1.1-16/public-page/support-period']!.verdict).to.equal('FAIL');
    expect(wrong.out['S1.1-16/public-page/support-period']!.reason).to.match(/does not carry the end of the support period 2027-03-31$/);
  });

  it('needs the support end date in English for UK PSTI', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'soc.pdf'), 'statement');
    const psti = { pstiCompliance: { statementOfCompliance: join(dir, 'soc.pdf') } };
    const ja = await runChecks(S1_1_16, supportProfile('/support-ja', psti));
    expect(ja.out['S1.1-16/public-page/support-period']!.verdict).to.equal('FAIL');
    expect(ja.out['S1.1-16/public-page/support-period']!.reason).to.match(/does not carry the end of the support period 2027-03-31 \(in English for UK PSTI\)$/);
    const en = await runChecks(S1_1_16, supportProfile('/support-en', psti));
    expect(en.out['S1.1-16/public-page/support-period']!.verdict).to.equal('PASS');
  });

  it('reads a page in the charset it declares: Shift_JIS with the Reiwa date, EUC-JP named by <meta charset>', async () => {
    for (const path of ['/support-sjis', '/support-eucjp-meta']) {
      const { out } = await runChecks(S1_1_16, supportProfile(path));
      expect(out['S1.1-16/public-page/support-period'], path).to.deep.include({ verdict: 'PASS' });
      expect(out['S1.1-16/public-page/support-period']!.reason, path).to.match(/carries the end of the support period 2027-03-31$/);
    }
  });

  it('reads the UK day/month/year date, but not the US order', async () => {
    const uk = await runChecks(S1_1_16, supportProfile('/support-uk'));
    expect(uk.out['S1.1-16/public-page/support-period']!.verdict).to.equal('PASS');
    const us = await runChecks(S1_1_16, supportProfile('/support-us-order'));
    expect(us.out['S1.1-16/public-page/support-period']!.verdict).to.equal('FAIL');
  });

  it('reads day counts spelled out in words', async () => {
    const { out } = await runChecks(S1_1_05, vdpProfile('/vdp-words'));
    expect(out['S1.1-05/public-page/vulnerability-disclosure']!.verdict).to.equal('PASS');
  });

  it('is INCONCLUSIVE on a page it cannot read as text: compressed, a PDF, undecodable bytes', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/vdp-gzip', /\/vdp-gzip came gzip-encoded although jcstar asked for identity, and jcstar does not decompress it \(evidence #\d+\); its content was not judged$/],
      ['/vdp-pdf', /\/vdp-pdf is application\/pdf, not a page jcstar reads as text \(text\/html, application\/xhtml\+xml, text\/plain\) \(evidence #\d+\); its content was not judged$/],
      ['/vdp-mojibake', /\/vdp-mojibake does not decode as utf-8: its text holds replacement characters \(evidence #\d+\); its content was not judged$/],
    ];
    for (const [path, reason] of cases) {
      const { out, ctx } = await runChecks(S1_1_05, vdpProfile(path));
      expect(out['S1.1-05/public-page/vulnerability-disclosure']!.verdict, path).to.equal('INCONCLUSIVE');
      expect(out['S1.1-05/public-page/vulnerability-disclosure']!.reason, path).to.match(reason);
      if (path === '/vdp-gzip') expect(ctx.recorded.find((r) => r.kind === 'exchange')!.data).to.deep.include({ contentEncoding: 'gzip' });
    }
  });

  it('reads a page whose charset it does not know as UTF-8, and says so', async () => {
    const { out } = await runChecks(S1_1_05, vdpProfile('/vdp-odd-charset'));
    expect(out['S1.1-05/public-page/vulnerability-disclosure']!.verdict).to.equal('PASS');
    expect(out['S1.1-05/public-page/vulnerability-disclosure']!.reason).to.match(/\(its charset "x-no-such-charset" is unknown to jcstar; read as UTF-8\)$/);
  });

  it('FAILs a page that is gone (410), and is INCONCLUSIVE on a 403 or a 503, which say nothing of the page', async () => {
    const removed = await runChecks(S1_1_05, vdpProfile('/vdp-removed'));
    expect(removed.out['S1.1-05/public-page/vulnerability-disclosure']!.verdict).to.equal('FAIL');
    for (const [path, status] of [['/vdp-blocked', 403], ['/vdp-busy', 503]] as const) {
      const { out } = await runChecks(S1_1_05, vdpProfile(path));
      expect(out['S1.1-05/public-page/vulnerability-disclosure'], path).to.deep.include({ verdict: 'INCONCLUSIVE' });
      expect(out['S1.1-05/public-page/vulnerability-disclosure']!.reason, path).to.match(new RegExp(`${path} answered ${status} to jcstar's anonymous GET \\(evidence #\\d+\\); its content was not judged$`));
    }
  });

  it('judges hostile pages promptly and without failing: unclosed tags, references to no character', async () => {
    const started = Date.now();
    const tags = await runChecks(S1_1_16, supportProfile('/hostile-tags'));
    expect(tags.out['S1.1-16/public-page/support-period']!.verdict).to.equal('FAIL');
    expect(Date.now() - started).to.be.below(5000);
    const entities = await runChecks(S1_1_16, supportProfile('/hostile-entities'));
    expect(entities.out['S1.1-16/public-page/support-period']!.verdict).to.equal('PASS');
  });

  it('checks the product page for the model designation', async () => {
    const document = { ...supportProfile('/support-iso'), publicPages: [{ url: `${site.base}/support-iso`, purpose: 'support-period' }, { url: `${site.base}/product`, purpose: 'product-information' }] };
    const { out } = await runChecks(S1_1_16, document);
    expect(out['S1.1-16/public-page/support-period-1']!.verdict).to.equal('PASS');
    expect(out['S1.1-16/public-page/product-information-2']!.verdict).to.equal('PASS');
    expect(out['S1.1-16/public-page/product-information-2']!.reason).to.match(/carries the model designation "ACME TEST-1"$/);
  });

  it('refuses a profile whose publicPages names anything but an http(s) address or a known purpose', async () => {
    const text = stringify({ ...base, publicPages: [{ url: 'ftp://127.0.0.1/vdp', purpose: 'vulnerability-disclosure' }, { url: `${site.base}/vdp`, purpose: 'marketing' }] });
    const error = await parseProfile(text, { file: join(tempDir(), 'profile.yaml') }).then(() => null, (e: unknown) => e);
    expect((error as ProfileError).problems.map((p) => p.path)).to.deep.equal(['publicPages[0].url', 'publicPages[1].purpose']);
  });

  it('contacts nothing outside the scope without publicPages, even when the declared URLs point at a live site', async () => {
    const declarations = {
      vulnerabilityDisclosurePolicy: { url: `${site.base}/vdp`, contact: 'psirt@acme.example', acknowledgeWithinDays: 5, statusUpdateEveryDays: 30 },
      supportPeriod: { endsOn: '2027-03-31', url: `${site.base}/support-iso` },
      productInformation: { url: `${site.base}/product`, modelDesignation: 'ACME TEST-1' },
      updateProcedure: { url: `${site.base}/vdp` },
    };
    const vdpRun = await runChecks(S1_1_05, { declarations });
    const supportRun = await runChecks(S1_1_16, { declarations });
    expect(Object.keys(vdpRun.out)).to.deep.equal(['S1.1-05/vulnerability-disclosure/declaration', 'S1.1-05/vulnerability-disclosure/completeness']);
    expect(Object.keys(supportRun.out)).to.deep.equal(['S1.1-16/support-period/declaration', 'S1.1-16/support-period/completeness']);
    expect(site.requests).to.deep.equal([]);
  });
});
