import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { startUpdateServer, type UpdateServer } from '../../harness/update/server/update-server.js';
import type { DeviceFeedback, ServeMode, UpdateRequestRecord } from '../../harness/update/types.js';
import { testCertificates, type TestCertificates } from '../support/certificates.js';
import { requireBinaries, superviseDaemon, type Daemon } from '../support/daemons.js';
import { sha256, testVariant } from './server-client.js';

/**
 * Debian's SWUpdate (2022.12) run as suricatta, the hawkBit client, against the rogue update server on
 * loopback: it polls, fetches the deployment, downloads the artifact and posts its feedback. The artifact
 * is no SWU (made-up bytes), so every install ends in feedback finished=failure; what these tests show is
 * the server's side of a real client: what it asks for, what it was served, and how it refuses.
 */

const mode = (channel: ServeMode['channel'], more: Partial<ServeMode> = {}): ServeMode => ({ channel, cutAtHalf: false, plainDownloadLink: false, ...more });

/**
 * suricatta takes the CA it verifies the server with only from a configuration file (`cafile`), which
 * SWUpdate refuses without a `globals` section;
 * `-k` (the image verification certificate) is mandatory in Debian's build whatever the image.
 * TMPDIR keeps its IPC sockets (sockinstctrl, swupdateprog) apart from any other SWUpdate.
 */
function startSuricatta(server: UpdateServer, certs: TestCertificates, dir: string): Daemon {
  const config = join(dir, 'swupdate.cfg');
  writeFileSync(config, `globals: {\n  loglevel = 6;\n};\nsuricatta: {\n  tenant = "DEFAULT";\n  id = "dev1";\n  url = "${server.urls.api}";\n  cafile = "${certs.root.certFile}";\n};\n`);
  const child = spawn('swupdate', ['-v', '-f', config, '-k', certs.root.certFile, '-u', '-p 1 -r 1 -w 1'], {
    env: { ...process.env, TMPDIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return superviseDaemon(child);
}

describe('rogue update server: Debian swupdate (suricatta) as the device', function () {
  this.timeout(60_000);
  let certs: TestCertificates;
  let server: UpdateServer;
  let dir: string;
  let suricatta: Daemon | null = null;
  const variant = testVariant('genuine', 40_001, '2.0.0');

  before(async function () {
    requireBinaries(this, { swupdate: 'swupdate', openssl: 'openssl' });
    certs = await testCertificates();
    dir = mkdtempSync(join(tmpdir(), 'jcstar-suricatta-'));
    server = await startUpdateServer({
      address: '127.0.0.1',
      port: 0,
      plainPort: 0,
      tls: { certificate: readFileSync(certs.leaf.chainFile, 'utf8'), key: readFileSync(certs.leaf.keyFile, 'utf8') },
      guard: new ScopeGuard(['127.0.0.1']),
      protocol: 'hawkbit',
      controllerId: 'dev1',
      pollSeconds: 1,
    });
  });

  afterEach(async () => {
    server?.withdraw();
    await suricatta?.stop();
    suricatta = null;
  });

  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs suricatta against the current offer and returns the requests it made. */
  async function attempt(channel: ServeMode['channel'], more: Partial<ServeMode>, until: () => Promise<unknown>): Promise<UpdateRequestRecord[]> {
    const before = server.requests.length;
    server.offer(variant, mode(channel, more));
    suricatta = startSuricatta(server, certs, dir);
    await until();
    server.withdraw();
    await suricatta.stop();
    return server.requests.slice(before);
  }

  it('polls, fetches the deployment, downloads the artifact whole over TLS and reports failure', async () => {
    let final: DeviceFeedback | null = null;
    const requests = await attempt('genuine-tls', {}, async () => (final = await server.waitForFinalFeedback({ timeoutMs: 20_000 })));
    expect(final, suricatta?.log()).to.deep.include({ actionId: server.feedback.at(-1)!.actionId, execution: 'closed', finished: 'failure' });
    // The errors collected so far, then its verdict on the chunk.
    expect(final!.details.at(-1)).to.equal('No suitable .swu image found');
    const asked = requests.filter((r) => r.method).map((r) => `${r.method} ${r.path!.replace(/\b\d+\b/g, 'N')} ${r.status}`);
    expect(asked.slice(0, 2)).to.deep.equal(['GET /DEFAULT/controller/v1/dev1 200', 'GET /DEFAULT/controller/v1/dev1/deploymentBase/N 200']);
    expect(asked).to.include.members(['HEAD /images/N/jcstar-genuine-N.swu 200', 'GET /images/N/jcstar-genuine-N.swu 200', 'POST /DEFAULT/controller/v1/dev1/deploymentBase/N/feedback 200']);
    const download = requests.find((r) => r.method === 'GET' && r.path!.startsWith('/images/'))!;
    expect(download).to.deep.include({ channel: 'tls', imageBytesSent: 40_001, imageComplete: true, servedSha256: variant.sha256 });
    expect(download.headers).to.deep.include({ 'user-agent': 'libcurl-agent/1.0', accept: 'application/octet-stream' });
    // The installer's own complaint reaches the server as feedback details.
    expect(server.feedback.flatMap((f) => f.details)).to.include('ERROR : CPIO Format not recognized: magic not found');
  });

  it('refuses the made-up certificate with a TLS alert and never downloads', async () => {
    const requests = await attempt('untrusted-tls', {}, () => sleep(4000));
    // The made-up CA carries the genuine CA's name, so OpenSSL checks the signature with the genuine key and fails it.
    const refusals = requests.filter((r) => r.tlsError === 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: tlsv1 alert decrypt error');
    expect(refusals.length, suricatta?.log()).to.be.at.least(2);
    expect(refusals.every((r) => r.channel === 'tls' && r.inScope && r.method === undefined)).to.equal(true);
    // Nothing else reached HTTP; a handshake cut short when suricatta is stopped shows as a reset.
    expect(requests.filter((r) => !refusals.includes(r)).map((r) => r.tlsError)).to.satisfy((rest: string[]) => rest.every((e) => e === 'ECONNRESET: read ECONNRESET'));
    expect(await server.waitForDownload({ timeoutMs: 1 })).to.equal(null);
  });

  it('refuses plain HTTP in place of HTTPS: it starts TLS, which the plain port records', async () => {
    const requests = await attempt('plain', {}, () => sleep(3000));
    expect(requests.length, suricatta?.log()).to.be.at.least(2);
    expect([...new Set(requests.map((r) => `${r.channel} ${r.method ?? '-'} ${r.tlsError}`))]).to.deep.equal(['plain - the client began a TLS handshake; this port served plain HTTP']);
  });

  it('follows a plain download link from the TLS API (only the image signature would protect it)', async () => {
    let download = null;
    await attempt('genuine-tls', { plainDownloadLink: true }, async () => {
      download = await server.waitForDownload({ timeoutMs: 20_000 });
      await server.waitForFinalFeedback({ timeoutMs: 20_000 });
    });
    expect(download, suricatta?.log()).to.deep.include({ channel: 'plain', imageBytesSent: 40_001, imageComplete: true, servedSha256: variant.sha256 });
  });

  it('a cut download: half is served, the resume is refused, feedback is failure', async () => {
    let final = null;
    const requests = await attempt('genuine-tls', { cutAtHalf: true }, async () => (final = await server.waitForFinalFeedback({ timeoutMs: 20_000 })));
    expect(final, suricatta?.log()).to.deep.include({ execution: 'closed', finished: 'failure' });
    const downloads = requests.filter((r) => r.method === 'GET' && r.path!.startsWith('/images/'));
    expect(downloads.length).to.be.at.least(1);
    expect(downloads[0]).to.deep.include({ imageBytesSent: 20_000, imageComplete: false, servedSha256: sha256(variant.bytes.subarray(0, 20_000)) });
    // libcurl resumes with a Range request; the server answers the whole image again, which curl refuses.
    expect(downloads.slice(1).map((d) => d.headers!.range)).to.deep.equal(downloads.slice(1).map(() => 'bytes=20000-'));
  });
});
