import { expect } from 'chai';
import { PublicPageAllowList } from '../../harness/probes/public-page/allow-list.js';
import { fetchPublicPage } from '../../harness/probes/public-page/fetch.js';
import { startPublicPages, type PublicPageServer } from '../support/public-pages.js';

const LIMITS = { maxBytes: 1024, timeoutMs: 2000, maxRedirects: 2 };

describe('public-page probe: only the allow-listed addresses, anonymously and bounded', () => {
  let site: PublicPageServer;
  before(async () => {
    site = await startPublicPages({
      '/vdp': { body: '<p>Report to psirt@acme.example</p>', headers: { 'set-cookie': 'session=abc' } },
      '/moved': { status: 301, headers: { location: '/vdp' } },
      '/away': { status: 302, headers: { location: '/elsewhere' } },
      '/loop-a': { status: 302, headers: { location: '/loop-b' } },
      '/loop-b': { status: 302, headers: { location: '/loop-a' } },
      '/big': { body: 'x'.repeat(4096), headers: { 'content-length': '4096' } },
      '/stream': (res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 8; i++) res.write('y'.repeat(512));
        res.end();
      },
      '/stall': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).write('partial'),
    });
  });
  after(() => site.close());
  beforeEach(() => site.requests.splice(0));

  it('admits only exact http(s) addresses, normalised', () => {
    const list = new PublicPageAllowList(['http://127.0.0.1:80/a', 'HTTPS://Example.COM/b?x=1', 'ftp://127.0.0.1/c', 'not a url']);
    expect(list.size).to.equal(2);
    expect(list.admit('http://127.0.0.1/a')?.href).to.equal('http://127.0.0.1/a');
    expect(list.admit('https://example.com/b?x=1')?.href).to.equal('https://example.com/b?x=1');
    expect(list.admit('https://example.com/b')).to.equal(null);
    expect(list.admit('http://127.0.0.1/a/')).to.equal(null);
    expect(list.admit('http://127.0.0.1/ab')).to.equal(null);
    expect(list.admit('ftp://127.0.0.1/c')).to.equal(null);
  });

  it('refuses an address that is not on the list and sends nothing', async () => {
    const o = await fetchPublicPage(`${site.base}/vdp`, new PublicPageAllowList([`${site.base}/other`]), LIMITS);
    expect(o).to.deep.include({ outcome: 'refused', reason: `${site.base}/vdp is not on the profile's publicPages list; nothing was sent`, requested: [] });
    expect(site.requests).to.deep.equal([]);
  });

  it('refuses an address with a user name or password, listed or not, without echoing them', async () => {
    const withCredentials = `${site.base.replace('//', '//user:s3cret@')}/vdp`;
    const list = new PublicPageAllowList([withCredentials, `${site.base}/vdp`]);
    expect(list.size).to.equal(1);
    expect(list.admit(withCredentials)).to.equal(null);
    const o = await fetchPublicPage(withCredentials, list, LIMITS);
    expect(o).to.deep.include({ outcome: 'refused', reason: `${site.base.replace('//', '//…@')}/vdp is not on the profile's publicPages list; nothing was sent` });
    expect(site.requests).to.deep.equal([]);
  });

  it('refuses everything with an empty list', async () => {
    const o = await fetchPublicPage(`${site.base}/vdp`, new PublicPageAllowList([]), LIMITS);
    expect(o.outcome).to.equal('refused');
    expect(site.requests).to.deep.equal([]);
  });

  it('fetches an allow-listed page with an anonymous GET, no cookie, no credentials', async () => {
    const o = await fetchPublicPage(`${site.base}/vdp`, new PublicPageAllowList([`${site.base}/vdp`]), LIMITS);
    expect(o.outcome).to.equal('fetched');
    if (o.outcome !== 'fetched') return;
    expect(o.status).to.equal(200);
    expect(o.body.toString()).to.equal('<p>Report to psirt@acme.example</p>');
    expect(o.contentType).to.equal('text/html; charset=utf-8');
    expect(site.requests.map((r) => [r.method, r.path])).to.deep.equal([['GET', '/vdp']]);
    const headers = site.requests[0]!.headers;
    expect(headers.cookie).to.equal(undefined);
    expect(headers.authorization).to.equal(undefined);
    expect(headers.connection).to.equal('close');
  });

  it('follows a redirect onto another listed address, and sends no cookie the first answer set', async () => {
    const list = new PublicPageAllowList([`${site.base}/moved`, `${site.base}/vdp`]);
    const o = await fetchPublicPage(`${site.base}/moved`, list, LIMITS);
    expect(o).to.deep.include({ outcome: 'fetched', status: 200, requested: [`${site.base}/moved`, `${site.base}/vdp`] });
    expect(site.requests.map((r) => r.headers.cookie)).to.deep.equal([undefined, undefined]);
  });

  it('refuses a redirect off the list without following it', async () => {
    const o = await fetchPublicPage(`${site.base}/away`, new PublicPageAllowList([`${site.base}/away`]), LIMITS);
    expect(o).to.deep.include({ outcome: 'refused', reason: `${site.base}/away redirects (302) to ${site.base}/elsewhere, which is not on the profile's publicPages list; not followed` });
    expect(site.requests.map((r) => r.path)).to.deep.equal(['/away']);
  });

  it('stops a redirect loop after maxRedirects', async () => {
    const o = await fetchPublicPage(`${site.base}/loop-a`, new PublicPageAllowList([`${site.base}/loop-a`, `${site.base}/loop-b`]), LIMITS);
    expect(o).to.deep.include({ outcome: 'refused', reason: 'more than 2 redirects; not followed further' });
    expect(site.requests.map((r) => r.path)).to.deep.equal(['/loop-a', '/loop-b', '/loop-a']);
  });

  it('stops at maxBytes, by Content-Length and while streaming', async () => {
    const big = await fetchPublicPage(`${site.base}/big`, new PublicPageAllowList([`${site.base}/big`]), LIMITS);
    expect(big).to.deep.include({ outcome: 'oversized', status: 200, bytesRead: 0 });
    const stream = await fetchPublicPage(`${site.base}/stream`, new PublicPageAllowList([`${site.base}/stream`]), LIMITS);
    expect(stream.outcome).to.equal('oversized');
    if (stream.outcome === 'oversized') expect(stream.bytesRead).to.be.within(1025, 4096);
  });

  it('gives up on a page that never ends within timeoutMs', async () => {
    const started = Date.now();
    const o = await fetchPublicPage(`${site.base}/stall`, new PublicPageAllowList([`${site.base}/stall`]), { ...LIMITS, timeoutMs: 300 });
    expect(o).to.deep.include({ outcome: 'error', reason: 'no complete answer within 300 ms' });
    expect(Date.now() - started).to.be.below(2000);
  });
});
