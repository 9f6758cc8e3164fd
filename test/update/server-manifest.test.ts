import { expect } from 'chai';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { startUpdateServer, type UpdateServer } from '../../harness/update/server/update-server.js';
import { GENUINE, fetchJson, fetchUrl, sha256, testVariant } from './server-client.js';

describe('rogue update server: manifest protocol', function () {
  let server: UpdateServer;
  const variant = { ...testVariant('rollback', 70_000, '1.0.0'), format: 'jcstar-image' as const };

  before(async () => {
    server = await startUpdateServer({ address: '127.0.0.1', port: 0, tls: null, guard: new ScopeGuard(['127.0.0.1']), protocol: 'manifest', manifestPath: '/fw/latest.json' });
  });

  after(async () => server?.close());

  it('answers 204 without an offer, and 404 off the manifest path', async () => {
    expect((await fetchUrl(`${server.urls.api}/fw/latest.json`)).status).to.equal(204);
    expect((await fetchUrl(`${server.urls.api}/manifest.json`)).status).to.equal(404);
  });

  it('offers {version, url, sha256, size}, answers HEAD with the size, serves the image and withdraws it', async () => {
    const id = server.offer(variant, GENUINE);
    const url = `${server.urls.api}/images/${id}/jcstar-rollback-${id}.img`;
    expect(await fetchJson(`${server.urls.api}/fw/latest.json`)).to.deep.equal({ status: 200, json: { version: '1.0.0', url, sha256: variant.sha256, size: 70_000 } });
    const head = await fetchUrl(url, { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.length]).to.deep.equal([200, '70000', 0]);
    const waiting = server.waitForDownload({ timeoutMs: 5000 });
    const image = await fetchUrl(url);
    expect(sha256(image.body)).to.equal(variant.sha256);
    expect(await waiting).to.deep.include({ method: 'GET', channel: 'plain', imageBytesSent: 70_000, imageComplete: true, servedSha256: variant.sha256 });
    server.withdraw();
    expect((await fetchUrl(`${server.urls.api}/fw/latest.json`)).status).to.equal(204);
    expect((await fetchUrl(url)).status).to.equal(404);
  });

  it('numbers offers upward and serves only the latest', async () => {
    const first = server.offer(variant, GENUINE);
    const second = server.offer(variant, GENUINE);
    expect(Number(second)).to.equal(Number(first) + 1);
    expect((await fetchUrl(`${server.urls.api}/images/${first}/jcstar-rollback-${first}.img`)).status).to.equal(404);
    expect((await fetchUrl(`${server.urls.api}/images/${second}/jcstar-rollback-${second}.img`)).status).to.equal(200);
  });
});
