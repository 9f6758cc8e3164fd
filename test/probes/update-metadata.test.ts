import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'chai';
import { judgeTls } from '../../harness/crypto/judge-tls.js';
import { PUBLISHED_UPDATE_LIMIT, fetchPublishedUpdate } from '../../harness/probes/update-metadata/fetch.js';
import { checkContext } from '../support/check-context.js';
import { testCertificates } from '../support/certificates.js';
import { DEVICE } from '../support/run-profile.js';

/**
 * The published update (`update.published.url`) fetched through the scope guard from loopback HTTP and
 * HTTPS servers: a complete image with its hash and the TLS observation S1.1-12's rules grade, and the
 * fetches that must fall short: out of scope (nothing sent), a body over the 64 MiB bound, a stall.
 */

const HOST = '127.0.172.1';
const IMAGE = randomBytes(1024 * 1024 + 17);
const IMAGE_SHA256 = createHash('sha256').update(IMAGE).digest('hex');
const QUIET = { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 1000 } };

function document(host = HOST, scope = `${HOST}/32`) {
  return { device: DEVICE, target: { host }, scope: [scope], services: [{ name: 'web', protocol: 'https', port: 443, auth: 'none' }], credentials: {}, policy: QUIET };
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/fw/current.swu') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': IMAGE.length });
    res.end(IMAGE);
  } else if (req.url === '/fw/huge.swu') {
    // One byte past the bound, written in 1 MiB pieces as a large image is.
    const piece = Buffer.alloc(1024 * 1024, 0x5a);
    let left = PUBLISHED_UPDATE_LIMIT + 1;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': left });
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, piece.length);
        left -= n;
        if (!res.write(piece.subarray(0, n))) return void res.once('drain', pump);
      }
      if (left === 0) res.end();
    };
    pump();
  } else if (req.url === '/fw/stall.swu') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': IMAGE.length });
    res.write(IMAGE.subarray(0, 1000));
  } else {
    res.writeHead(404).end('not here');
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return (server.address() as AddressInfo).port;
}

describe('fetching the published update', function () {
  this.timeout(60000);
  let plain: Server;
  let secure: Server;
  let plainPort: number;
  let securePort: number;
  const connections: string[] = [];

  before(async () => {
    const certificates = await testCertificates();
    plain = createServer(serve);
    secure = createHttpsServer({ key: readFileSync(certificates.leaf.keyFile), cert: readFileSync(certificates.leaf.chainFile) }, serve);
    for (const server of [plain, secure]) server.on('connection', (socket: Socket) => connections.push(`${socket.remoteAddress}`));
    plainPort = await listen(plain);
    securePort = await listen(secure);
  });
  beforeEach(() => {
    connections.length = 0;
  });
  after(() => {
    for (const server of [plain, secure]) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('fetches an image over http: status, size, SHA-256 and the bytes, with one exchange as evidence', async () => {
    const ctx = await checkContext(document());
    const url = `http://${HOST}:${plainPort}/fw/current.swu`;
    const seen = await fetchPublishedUpdate(ctx, url);
    expect(seen).to.deep.include({ url, scheme: 'http', address: HOST, port: plainPort, tls: null, negotiated: null, outcome: 'fetched', reason: null, status: 200, size: IMAGE.length, announcedSize: IMAGE.length, sha256: IMAGE_SHA256 });
    expect(seen.body!.equals(IMAGE)).to.equal(true);
    expect(ctx.recorded).to.have.length(1);
    expect(ctx.recorded[0]!.kind).to.equal('exchange');
    expect(ctx.recorded[0]!.summary).to.equal(`Published update GET http://${HOST}:${plainPort}/fw/current.swu → HTTP 200, ${IMAGE.length} bytes, sha256 ${IMAGE_SHA256}`);
    expect(seen.evidence).to.deep.equal([1]);
  });

  it('fetches over https with the TLS probe\'s observation of the server, which the crypto rules grade', async () => {
    const ctx = await checkContext(document());
    const url = `https://${HOST}:${securePort}/fw/current.swu`;
    const seen = await fetchPublishedUpdate(ctx, url);
    expect(seen).to.deep.include({ scheme: 'https', outcome: 'fetched', status: 200, sha256: IMAGE_SHA256 });
    expect(seen.negotiated).to.deep.equal({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' });
    expect(seen.tls?.outcome).to.equal('observed');
    if (seen.tls?.outcome !== 'observed') return;
    expect(seen.tls.versions.filter((v) => v.offered).map((v) => v.version)).to.deep.equal(['TLSv1.2', 'TLSv1.3']);
    expect(seen.tls.certificateChain?.certificates[0]?.subject).to.be.a('string');
    // Node's defaults pass the rules (warnings for its CBC and static-RSA suites); the certificate is for a person, with no trust anchor declared.
    const findings = judgeTls(seen.tls, ctx.crypto);
    expect(findings.filter((f) => f.severity === 'fail')).to.deep.equal([]);
    expect(findings.filter((f) => f.severity === 'review').map((f) => f.rule)).to.deep.equal(['certificate.untrusted', 'certificate.hostMismatch']);
    expect(ctx.recorded.map((r) => r.kind)).to.deep.equal(['observation', 'exchange']);
    expect(ctx.recorded[0]!.summary).to.equal(`TLS of the published update's server ${HOST}:${securePort}: TLSv1.2, TLSv1.3`);
    expect(seen.evidence).to.deep.equal([1, 2]);
  });

  it('refuses a server outside the scope, a host name other than the target\'s and another scheme, without a packet', async () => {
    const ctx = await checkContext(document('127.0.172.200', '127.0.172.200/32'));
    const outside = await fetchPublishedUpdate(ctx, `http://${HOST}:${plainPort}/fw/current.swu`);
    expect(outside).to.deep.include({ outcome: 'refused', reason: `${HOST} is outside the profile's scope (127.0.172.200/32); nothing was sent`, status: null, body: null, sha256: null });
    const inScope = await checkContext(document());
    const named = await fetchPublishedUpdate(inScope, `http://updates.vendor.example:${plainPort}/fw/current.swu`);
    expect(named).to.deep.include({ outcome: 'refused', reason: `updates.vendor.example is outside the profile's scope (${HOST}/32); nothing was sent` });
    const ftp = await fetchPublishedUpdate(inScope, `ftp://${HOST}/fw/current.swu`);
    expect(ftp).to.deep.include({ outcome: 'refused', reason: 'jcstar fetches published updates over http or https only' });
    expect(connections).to.deep.equal([]);
    expect(ctx.recorded.map((r) => r.kind)).to.deep.equal(['note']);
  });

  it('cuts a body over the 64 MiB bound and keeps no bytes to verify', async () => {
    const ctx = await checkContext(document());
    const seen = await fetchPublishedUpdate(ctx, `http://${HOST}:${plainPort}/fw/huge.swu`);
    expect(seen).to.deep.include({ outcome: 'over-bound', reason: `the body is longer than ${PUBLISHED_UPDATE_LIMIT} bytes; jcstar stopped reading there`, status: 200, size: PUBLISHED_UPDATE_LIMIT, announcedSize: PUBLISHED_UPDATE_LIMIT + 1, body: null });
  });

  it('gives up on a server that stalls mid-body, and on a 404', async () => {
    const ctx = await checkContext(document());
    const stalled = await fetchPublishedUpdate(ctx, `http://${HOST}:${plainPort}/fw/stall.swu`);
    expect(stalled).to.deep.include({ outcome: 'error', reason: 'the server sent nothing for 1000 ms', status: 200, size: 1000, body: null });
    const missing = await fetchPublishedUpdate(ctx, `http://${HOST}:${plainPort}/fw/none.swu`);
    expect(missing).to.deep.include({ outcome: 'status', reason: 'the server answered 404', status: 404, body: null });
  });

  it('stops within the total time on a server that trickles', async () => {
    const ctx = await checkContext(document());
    const started = Date.now();
    const seen = await fetchPublishedUpdate(ctx, `http://${HOST}:${plainPort}/fw/stall.swu`, { totalTimeoutMs: 300 });
    expect(seen).to.deep.include({ outcome: 'error', reason: 'the download took longer than 300 ms' });
    expect(Date.now() - started).to.be.below(1000);
  });
});
