import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { startUpdateServer, type UpdateServer } from '../../harness/update/server/update-server.js';
import type { ServeMode } from '../../harness/update/types.js';
import { testCertificates, type TestCertificates } from '../support/certificates.js';
import { requireBinaries } from '../support/daemons.js';
import { fetchJson, fetchUrl, recorded, sha256, testVariant } from './server-client.js';

/** The certificate a TLS client is shown, without verifying it. */
function presentedLeaf(url: string): Promise<X509Certificate> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      // A graceful end, so that the server has finished its handshake before the next test counts records.
      socket.once('close', () => resolve(new X509Certificate(raw)));
      socket.end();
    });
    socket.once('error', reject);
  });
}

const run = promisify(execFile);

const mode = (channel: ServeMode['channel'], more: Partial<ServeMode> = {}): ServeMode => ({ channel, cutAtHalf: false, plainDownloadLink: false, ...more });

describe('rogue update server: channels (genuine TLS, made-up TLS, plain, plain link, cut download)', function () {
  let certs: TestCertificates;
  let server: UpdateServer;
  let ca: string;
  const variant = testVariant('genuine', 200_001);

  before(async function () {
    requireBinaries(this, { openssl: 'openssl' });
    certs = await testCertificates();
    ca = readFileSync(certs.root.certFile, 'utf8');
    server = await startUpdateServer({
      address: '127.0.0.1',
      port: 0,
      plainPort: 0,
      tls: { certificate: readFileSync(certs.leafEc.chainFile, 'utf8'), key: readFileSync(certs.leafEc.keyFile, 'utf8') },
      guard: new ScopeGuard(['127.0.0.1']),
      protocol: 'manifest',
    });
  });

  after(async () => server?.close());

  const since = () => server.requests.length;

  it('serves the genuine chain to a client that verifies it', async () => {
    server.offer(variant, mode('genuine-tls'));
    const manifest = await fetchJson(`${server.urls.api}/manifest.json`, { ca });
    expect(manifest.status).to.equal(200);
    expect((await presentedLeaf(server.urls.api)).fingerprint256).to.equal(server.certificates.genuine);
    expect(server.certificates.genuine).to.equal(new X509Certificate(certs.leafEc.der).fingerprint256);
  });

  it('untrusted-tls presents a made-up chain with the genuine names, which a verifying client refuses; the refusal is recorded', async () => {
    const id = server.offer(variant, mode('untrusted-tls'));
    const before = since();
    const refused = await fetchUrl(`${server.urls.api}/manifest.json`, { ca }).then(() => null, (err: Error & { code?: string }) => err.code);
    expect(refused).to.equal('SELF_SIGNED_CERT_IN_CHAIN');
    // OpenSSL, as most device clients use it, refuses with an alert; Node's client just closes.
    const { hostname, port } = new URL(server.urls.api);
    const sClient = await run('openssl', ['s_client', '-connect', `${hostname}:${port}`, '-CAfile', certs.root.certFile, '-verify_return_error', '-brief'], { timeout: 10_000 }).then(
      () => 'connected',
      (err: { stderr: string }) => err.stderr,
    );
    expect(sClient).to.include('self-signed certificate in certificate chain');
    const records = (await recorded(() => server.requests, before + 2)).slice(before);
    expect(records.map((r) => [r.inScope, r.channel, r.client.address, r.tlsError])).to.deep.equal([
      [true, 'tls', '127.0.0.1', 'the client closed the connection during the TLS handshake'],
      [true, 'tls', '127.0.0.1', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: tlsv1 alert unknown ca'],
    ]);

    const leaf = await presentedLeaf(server.urls.api);
    const genuine = new X509Certificate(certs.leafEc.der);
    expect(leaf.fingerprint256).to.equal(server.certificates.untrusted);
    expect(leaf.fingerprint256).not.to.equal(genuine.fingerprint256);
    expect([leaf.subject, leaf.subjectAltName, leaf.issuer]).to.deep.equal([genuine.subject, genuine.subjectAltName, genuine.issuer]);
    // A client that does not verify is served, over the made-up chain, with links on the same channel.
    const manifest = await fetchJson(`${server.urls.api}/manifest.json`);
    expect(manifest.json).to.deep.equal({ version: '2.0.0', url: `${server.urls.api}/images/${id}/jcstar-genuine-${id}.swu`, sha256: variant.sha256, size: 200_001 });
  });

  it('plain serves plain HTTP on the API port; a client that insists on TLS is recorded', async () => {
    const id = server.offer(variant, mode('plain'));
    const plainApi = server.urls.api.replace('https:', 'http:');
    const manifest = await fetchJson(`${plainApi}/manifest.json`);
    expect(manifest.json).to.deep.equal({ version: '2.0.0', url: `${plainApi}/images/${id}/jcstar-genuine-${id}.swu`, sha256: variant.sha256, size: 200_001 });
    const before = since();
    const refused = await fetchUrl(`${server.urls.api}/manifest.json`, { ca }).then(() => null, (err: Error & { code?: string }) => err.code);
    expect(refused).to.equal('ECONNRESET');
    const records = (await recorded(() => server.requests, before + 1)).slice(before);
    expect(records.map((r) => [r.channel, r.tlsError])).to.deep.equal([['plain', 'the client began a TLS handshake; this port served plain HTTP']]);
  });

  it('genuine-tls refuses plain HTTP on the API port and records its request line', async () => {
    server.offer(variant, mode('genuine-tls'));
    const before = since();
    const refused = await fetchUrl(`${server.urls.api.replace('https:', 'http:')}/manifest.json?v=1`).then(() => null, (err: Error & { code?: string }) => err.code);
    expect(refused).to.be.oneOf(['ECONNRESET', 'EPIPE']);
    const records = (await recorded(() => server.requests, before + 1)).slice(before);
    expect(records.map((r) => [r.channel, r.method, r.path, r.tlsError])).to.deep.equal([['tls', 'GET', '/manifest.json?v=1', 'the client sent plain HTTP; this port served TLS']]);
  });

  it('plainDownloadLink keeps the API on TLS and links the image on the plain port', async () => {
    const id = server.offer(variant, mode('genuine-tls', { plainDownloadLink: true }));
    const manifest = await fetchJson(`${server.urls.api}/manifest.json`, { ca });
    const url = `${server.urls.plain}/images/${id}/jcstar-genuine-${id}.swu`;
    expect(manifest.json).to.deep.equal({ version: '2.0.0', url, sha256: variant.sha256, size: 200_001 });
    const waiting = server.waitForDownload({ timeoutMs: 5000 });
    const image = await fetchUrl(url);
    expect(sha256(image.body)).to.equal(variant.sha256);
    expect(await waiting).to.deep.include({ channel: 'plain', status: 200, imageBytesSent: 200_001, imageComplete: true, servedSha256: variant.sha256 });
  });

  it('cutAtHalf announces the whole length, sends half and resets; the record says so', async () => {
    const id = server.offer(variant, mode('genuine-tls', { cutAtHalf: true }));
    const waiting = server.waitForDownload({ timeoutMs: 5000 });
    const failure = await fetchUrl(`${server.urls.api}/images/${id}/jcstar-genuine-${id}.swu`, { ca }).then(() => null, (err: Error & { received?: Buffer; code?: string }) => err);
    expect(failure).not.to.equal(null);
    const download = await waiting;
    const half = variant.bytes.subarray(0, 100_000);
    expect(download).to.deep.include({ channel: 'tls', status: 200, imageBytesSent: 100_000, imageComplete: false, servedSha256: sha256(half) });
    if (failure!.received) expect(failure!.received.length).to.be.at.most(100_000);
  });

  it('refuses plainDownloadLink without a plain port', async () => {
    const bare = await startUpdateServer({ address: '127.0.0.1', port: 0, tls: null, guard: new ScopeGuard(['127.0.0.1']), protocol: 'manifest' });
    try {
      expect(() => bare.offer(variant, mode('genuine-tls', { plainDownloadLink: true }))).to.throw("a plain download link needs the server's plainPort");
      expect(bare.urls).to.deep.equal({ api: bare.urls.api });
      expect(bare.urls.api).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(bare.certificates.genuine).to.equal(null);
      // A plain genuine server: genuine-tls is plain, untrusted-tls presents a certificate made up for the address.
      bare.offer(variant, mode('untrusted-tls'));
      const leaf = await presentedLeaf(bare.urls.api.replace('http:', 'https:'));
      expect([leaf.subject, leaf.subjectAltName, leaf.fingerprint256]).to.deep.equal(['CN=127.0.0.1', 'IP Address:127.0.0.1', bare.certificates.untrusted]);
    } finally {
      await bare.close();
    }
  });
});
