import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { startUpdateServer, type UpdateServer } from '../../harness/update/server/update-server.js';
import { testCertificates } from '../support/certificates.js';
import { requireBinaries } from '../support/daemons.js';
import { GENUINE, fetchJson, fetchUrl, recorded, sha256, testVariant } from './server-client.js';

describe('rogue update server: hawkBit DDI', function () {
  let server: UpdateServer;
  let ca: string;
  const variant = testVariant('genuine', 300_001, '2.1.0');

  before(async function () {
    requireBinaries(this, { openssl: 'openssl' });
    const certs = await testCertificates();
    ca = readFileSync(certs.root.certFile, 'utf8');
    server = await startUpdateServer({
      address: '127.0.0.1',
      port: 0,
      tls: { certificate: readFileSync(certs.leaf.chainFile, 'utf8'), key: readFileSync(certs.leaf.keyFile, 'utf8') },
      guard: new ScopeGuard(['127.0.0.0/8']),
      protocol: 'hawkbit',
      controllerId: 'dev1',
      pollSeconds: 7,
    });
  });

  after(async () => server?.close());

  const controller = () => `${server.urls.api}/DEFAULT/controller/v1/dev1`;

  it('answers a poll without an offer with the poll interval and no deploymentBase link', async () => {
    const poll = await fetchJson(controller(), { ca, headers: { authorization: 'TargetToken s3cret-token' } });
    expect(poll).to.deep.equal({ status: 200, json: { config: { polling: { sleep: '00:00:07' } }, _links: {} } });
    const record = (await recorded(() => server.requests, 1))[0]!;
    expect(record).to.include({ inScope: true, channel: 'tls', method: 'GET', path: '/DEFAULT/controller/v1/dev1', status: 200 });
    expect(record.headers!.authorization).to.equal('[redacted]');
    expect(JSON.stringify(server.requests)).not.to.include('s3cret-token');
  });

  it('refuses another tenant or controller with 404', async () => {
    expect((await fetchUrl(`${server.urls.api}/other/controller/v1/dev1`, { ca })).status).to.equal(404);
    expect((await fetchUrl(`${server.urls.api}/DEFAULT/controller/v1/dev2`, { ca })).status).to.equal(404);
    expect((await fetchUrl(`${server.urls.api}/default/controller/v1/dev1`, { ca })).status).to.equal(200);
  });

  it('offers a deployment, serves the artifact whole and records what was served', async () => {
    const id = server.offer(variant, GENUINE);
    const poll = await fetchJson(controller(), { ca });
    const href = `${controller()}/deploymentBase/${id}`;
    expect(poll.json).to.deep.equal({ config: { polling: { sleep: '00:00:07' } }, _links: { deploymentBase: { href } } });

    const deployment = await fetchJson(href, { ca });
    const imageUrl = `${server.urls.api}/images/${id}/jcstar-genuine-${id}.swu`;
    expect(deployment).to.deep.equal({
      status: 200,
      json: {
        id,
        deployment: {
          download: 'forced',
          update: 'forced',
          chunks: [{
            part: 'os',
            name: 'jcstar',
            version: '2.1.0',
            artifacts: [{
              filename: `jcstar-genuine-${id}.swu`,
              hashes: {
                sha1: createHash('sha1').update(variant.bytes).digest('hex'),
                md5: createHash('md5').update(variant.bytes).digest('hex'),
                sha256: variant.sha256,
              },
              size: 300_001,
              _links: { download: { href: imageUrl }, 'download-http': { href: imageUrl } },
            }],
          }],
        },
      },
    });

    const waiting = server.waitForDownload({ timeoutMs: 5000 });
    const image = await fetchUrl(imageUrl, { ca });
    expect(image.status).to.equal(200);
    expect(image.headers['content-length']).to.equal('300001');
    expect(sha256(image.body)).to.equal(variant.sha256);
    const download = await waiting;
    expect(download).to.include({ method: 'GET', path: `/images/${id}/jcstar-genuine-${id}.swu`, status: 200, channel: 'tls', imageBytesSent: 300_001, imageComplete: true, servedSha256: variant.sha256 });
  });

  it('records feedback and resolves at the first final one for the offer', async () => {
    const id = server.offer(variant, GENUINE);
    const feedbackUrl = `${controller()}/deploymentBase/${id}/feedback`;
    const final = server.waitForFinalFeedback({ timeoutMs: 5000 });
    const proceeding = { id, time: '20261203T120000', status: { result: { progress: { cnt: 0, of: 1 }, finished: 'none' }, execution: 'proceeding', details: ['Installing Update Chunk Artifacts.'] } };
    expect((await fetchUrl(feedbackUrl, { ca, method: 'POST', body: JSON.stringify(proceeding), headers: { 'content-type': 'application/json' } })).status).to.equal(200);
    const failure = { id, status: { result: { finished: 'failure' }, execution: 'closed', details: ['ERROR : Signature verification failed', 42] } };
    expect((await fetchUrl(feedbackUrl, { ca, method: 'POST', body: JSON.stringify(failure) })).status).to.equal(200);
    const feedback = await final;
    expect(feedback).to.deep.include({ actionId: id, execution: 'closed', finished: 'failure', details: ['ERROR : Signature verification failed', '42'] });
    expect(server.feedback.slice(-2).map((f) => [f.actionId, f.execution, f.finished, f.details])).to.deep.equal([
      [id, 'proceeding', 'none', ['Installing Update Chunk Artifacts.']],
      [id, 'closed', 'failure', ['ERROR : Signature verification failed', '42']],
    ]);
  });

  it('waits for final feedback only from the latest offer, and times out to null', async () => {
    const id = server.offer(variant, GENUINE);
    const older = String(Number(id) - 1);
    await fetchUrl(`${controller()}/deploymentBase/${older}/feedback`, { ca, method: 'POST', body: JSON.stringify({ status: { result: { finished: 'success' }, execution: 'closed', details: [] } }) });
    expect(await server.waitForFinalFeedback({ timeoutMs: 300 })).to.equal(null);
    const abort = new AbortController();
    const waiting = server.waitForDownload({ timeoutMs: 60_000, signal: abort.signal });
    abort.abort();
    expect(await waiting).to.equal(null);
  });

  it('accepts configData and refuses malformed feedback with 400', async () => {
    expect((await fetchUrl(`${controller()}/configData`, { ca, method: 'PUT', body: JSON.stringify({ mode: 'merge', data: { hw: 'x' }, status: { result: { finished: 'success' }, execution: 'closed', details: [] } }) })).status).to.equal(200);
    expect((await fetchUrl(`${controller()}/deploymentBase/1/feedback`, { ca, method: 'POST', body: '{not json' })).status).to.equal(400);
  });

  it('after withdraw, polls carry no deploymentBase link and the old deployment and image are gone', async () => {
    const id = server.offer(variant, GENUINE);
    server.withdraw();
    expect((await fetchJson(controller(), { ca })).json).to.deep.equal({ config: { polling: { sleep: '00:00:07' } }, _links: {} });
    expect((await fetchUrl(`${controller()}/deploymentBase/${id}`, { ca })).status).to.equal(404);
    expect((await fetchUrl(`${server.urls.api}/images/${id}/jcstar-genuine-${id}.swu`, { ca })).status).to.equal(404);
  });
});
