import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type OutgoingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { GuardedNetwork } from '../../harness/net/network.js';
import { parseHstsHeader, probeHsts, type HstsObservation, type HstsProbe } from '../../harness/probes/http/hsts.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { testCertificates } from '../support/certificates.js';
import { freePort, requireBinaries, startDaemon, type Daemon } from '../support/daemons.js';
import { tempDir } from '../support/run-profile.js';

const HOST = '127.0.104.1';
const TIMEOUT_MS = 3000;

function loopbackNetwork(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.104.0/24']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
}

function probeOf(port: number, overrides: Partial<HstsProbe> = {}): HstsProbe {
  return { host: HOST, port, path: '/', timeoutMs: TIMEOUT_MS, signal: new AbortController().signal, ...overrides };
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return (server.address() as AddressInfo).port;
}

function closing(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function observed(o: HstsObservation): Extract<HstsObservation, { outcome: 'observed' }> {
  expect(o.outcome, o.outcome === 'error' ? o.detail : '').to.equal('observed');
  return o as Extract<HstsObservation, { outcome: 'observed' }>;
}

describe('HSTS header parsing (RFC 6797 §6.1)', () => {
  const cases: [string, ReturnType<typeof parseHstsHeader>][] = [
    ['max-age=31536000; includeSubDomains; preload', { maxAgeSeconds: 31536000, includeSubDomains: true, preload: true }],
    ['max-age=0', { maxAgeSeconds: 0, includeSubDomains: false, preload: false }],
    ['MAX-AGE="600" ;INCLUDESUBDOMAINS;;', { maxAgeSeconds: 600, includeSubDomains: true, preload: false }],
    ['includeSubDomains; max-age=86400; unknown="a;b"', { maxAgeSeconds: 86400, includeSubDomains: true, preload: false }],
    ['includeSubDomains', null],
    ['max-age=abc', null],
    ['max-age=-1', null],
    ['max-age=100; max-age=200', null],
    ['max-age=100 includeSubDomains', null],
    ['max-age=100; includeSubDomains; includeSubDomains', null],
    ['', null],
  ];
  for (const [header, policy] of cases) {
    it(`reads ${JSON.stringify(header)} as ${policy ? `max-age ${policy.maxAgeSeconds}` : 'invalid'}`, () => {
      expect(parseHstsHeader(header)).to.deep.equal(policy);
    });
  }
});

describe('HSTS probe', function () {
  let server: ReturnType<typeof createHttpsServer>;
  let port: number;
  /** What the next response carries; each test sets it. */
  let respond: { status: number; headers: OutgoingHttpHeaders };
  let lastRequest: { servername: string | false | null; host: string | undefined; path: string | undefined };

  before(async function () {
    requireBinaries(this, { openssl: 'openssl' });
    const certs = await testCertificates();
    server = createHttpsServer({ key: readFileSync(certs.leaf.keyFile), cert: readFileSync(certs.leaf.chainFile) }, (req, res) => {
      lastRequest = { servername: (req.socket as TLSSocket).servername, host: req.headers.host, path: req.url };
      res.writeHead(respond.status, respond.headers);
      res.end('body');
    });
    port = await listening(server);
  });

  after(async () => {
    if (server) await closing(server);
  });

  it('reads max-age, includeSubDomains and preload, and keeps a transcript', async () => {
    respond = { status: 200, headers: { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains; preload', 'Set-Cookie': 'session=secret' } };
    const o = observed(await probeHsts(loopbackNetwork(), probeOf(port, { path: '/admin?x=1' })));
    expect(o).to.include({ status: 200, header: 'max-age=31536000; includeSubDomains; preload', maxAgeSeconds: 31536000, includeSubDomains: true, preload: true });
    expect(o.sent).to.equal(`GET /admin?x=1 HTTP/1.1\r\nHost: ${HOST}:${port}\r\nUser-Agent: jcstar\r\nConnection: close\r\n\r\n`);
    expect(o.received).to.equal('HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains; preload');
    expect(lastRequest).to.deep.equal({ servername: false, host: `${HOST}:${port}`, path: '/admin?x=1' });
  });

  it('observes the absence of the header', async () => {
    respond = { status: 200, headers: { 'Content-Type': 'text/html' } };
    const o = observed(await probeHsts(loopbackNetwork(), probeOf(port)));
    expect(o).to.include({ status: 200, header: null, maxAgeSeconds: null, includeSubDomains: false, preload: false, received: 'HTTP/1.1 200 OK' });
  });

  it('keeps a malformed header verbatim but takes no policy from it', async () => {
    respond = { status: 200, headers: { 'Strict-Transport-Security': 'max-age=forever; includeSubDomains' } };
    const o = observed(await probeHsts(loopbackNetwork(), probeOf(port)));
    expect(o).to.include({ header: 'max-age=forever; includeSubDomains', maxAgeSeconds: null, includeSubDomains: false, preload: false });
  });

  it('takes only the first of two headers, and reads it on a redirect', async () => {
    respond = { status: 301, headers: { Location: '/login', 'Strict-Transport-Security': ['max-age=0', 'max-age=63072000'] } };
    const o = observed(await probeHsts(loopbackNetwork(), probeOf(port)));
    expect(o).to.include({ status: 301, header: 'max-age=0', maxAgeSeconds: 0 });
    expect(o.received).to.equal('HTTP/1.1 301 Moved Permanently\r\nStrict-Transport-Security: max-age=0\r\nStrict-Transport-Security: max-age=63072000');
  });

  it('sends the server name as SNI and Host when given', async () => {
    respond = { status: 204, headers: {} };
    observed(await probeHsts(loopbackNetwork(), probeOf(port, { serverName: 'camera.jcstar.test' })));
    expect(lastRequest).to.deep.equal({ servername: 'camera.jcstar.test', host: `camera.jcstar.test:${port}`, path: '/' });
  });

  describe('failures', () => {
    it('reports a refused connection', async () => {
      const closed = await freePort(HOST);
      const o = await probeHsts(loopbackNetwork(), probeOf(closed));
      expect(o).to.include({ outcome: 'error', failure: 'refused', received: '' });
    });

    it('reports a plaintext HTTP server as a protocol failure', async () => {
      const plain = createHttpServer((_req, res) => res.end('plain'));
      const plainPort = await listening(plain);
      try {
        const o = await probeHsts(loopbackNetwork(), probeOf(plainPort));
        expect(o).to.include({ outcome: 'error', failure: 'protocol' });
        expect((o as { detail: string }).detail).to.match(/^no TLS handshake: .*wrong version number/);
      } finally {
        await closing(plain);
      }
    });

    it('times out on a server that never answers, within its budget', async () => {
      const certs = await testCertificates();
      const silent = createHttpsServer({ key: readFileSync(certs.leaf.keyFile), cert: readFileSync(certs.leaf.certFile) }, () => {});
      const silentPort = await listening(silent);
      try {
        const started = Date.now();
        const o = await probeHsts(loopbackNetwork(), probeOf(silentPort, { timeoutMs: 300 }));
        expect(o).to.include({ outcome: 'error', failure: 'timeout', detail: 'no HTTP response head within 300 ms' });
        expect(Date.now() - started).to.be.lessThan(2000);
      } finally {
        silent.closeAllConnections();
        await closing(silent);
      }
    });

    it('stops when aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const o = await probeHsts(loopbackNetwork(), probeOf(port, { signal: controller.signal }));
      expect(o).to.include({ outcome: 'error', failure: 'aborted' });
    });

    it('refuses an address outside the scope without connecting', async () => {
      const o = await probeHsts(loopbackNetwork(), { ...probeOf(port), host: '127.0.0.1' });
      expect(o.outcome).to.equal('error');
      expect((o as { detail: string }).detail).to.match(/outside the profile's scope/);
    });
  });

  describe('against nginx', () => {
    let nginx: Daemon | undefined;
    let nginxPort: number;

    before(async function () {
      requireBinaries(this, { nginx: 'nginx-light' });
      const certs = await testCertificates();
      const dir = tempDir('jcstar-hsts-nginx-');
      nginxPort = await freePort(HOST);
      const config = join(dir, 'nginx.conf');
      writeFileSync(config, [
        'daemon off;',
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} info;`,
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
        '  server {',
        `    listen ${HOST}:${nginxPort} ssl;`,
        `    ssl_certificate ${certs.leaf.chainFile};`,
        `    ssl_certificate_key ${certs.leaf.keyFile};`,
        '    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;',
        '    location / { return 200 "ok"; }',
        '    location /no-hsts { add_header X-Other yes; return 200 "ok"; }',
        '  }',
        '}',
      ].join('\n'));
      nginx = await startDaemon('nginx', ['-c', config, '-p', dir, '-e', join(dir, 'error.log')], HOST, nginxPort);
    });

    after(async () => {
      await nginx?.stop();
    });

    it('reads the header nginx adds', async () => {
      const o = observed(await probeHsts(loopbackNetwork(), probeOf(nginxPort)));
      expect(o).to.include({ status: 200, header: 'max-age=63072000; includeSubDomains', maxAgeSeconds: 63072000, includeSubDomains: true, preload: false });
    });

    it('observes a location whose own add_header drops the inherited HSTS header', async () => {
      const o = observed(await probeHsts(loopbackNetwork(), probeOf(nginxPort, { path: '/no-hsts' })));
      expect(o).to.include({ status: 200, header: null, maxAgeSeconds: null });
    });
  });
});
