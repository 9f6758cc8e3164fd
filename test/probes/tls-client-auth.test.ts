import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { createServer, type TlsOptions } from 'node:tls';
import { NetError } from '../../harness/net/errors.js';
import { GuardedNetwork } from '../../harness/net/network.js';
import { selfMadeClientCertificate } from '../../harness/checks/key-login/self-made-certificate.js';
import { probeTlsClientAuth, probeTlsClientCertificate } from '../../harness/probes/tls/client-auth.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { makeMutualTlsCertificates, type MutualTlsCertificates } from '../support/client-certificates.js';
import { freePort, requireBinaries } from '../support/daemons.js';

const HOST = '127.0.61.20';
const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
const probe = (port: number) => probeTlsClientAuth(net, { host: HOST, port, timeoutMs: 1000, signal: new AbortController().signal });

describe('TLS client-certificate probe against Node TLS servers', function () {
  this.timeout(20000);
  let certificates: MutualTlsCertificates;
  const servers: TcpServer[] = [];
  before(function () {
    requireBinaries(this, { openssl: 'openssl' });
    certificates = makeMutualTlsCertificates(HOST);
  });
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  async function tlsServer(options: TlsOptions): Promise<number> {
    const server = createServer({ cert: readFileSync(certificates.serverCertFile), key: readFileSync(certificates.serverKeyFile), ca: readFileSync(certificates.caFile), ...options }, (s) => s.on('error', () => {}));
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    servers.push(server);
    return (server.address() as { port: number }).port;
  }

  it('TLS 1.3 server that requires a certificate: alert 116 certificate_required', async () => {
    const result = await probe(await tlsServer({ requestCert: true, rejectUnauthorized: true }));
    expect(result).to.deep.include({ outcome: 'required', version: 'TLSv1.3', alert: { description: 116, name: 'certificate_required' }, detail: 'alert 116 certificate_required' });
  });

  it('TLS 1.2 server that requires a certificate: handshake_failure after a CertificateRequest, seen in a second, hand-built hello', async () => {
    const result = await probe(await tlsServer({ maxVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true }));
    expect(result).to.deep.include({
      outcome: 'required',
      version: 'TLSv1.2',
      alert: { description: 40, name: 'handshake_failure' },
      detail: 'alert 40 handshake_failure after a CertificateRequest and an empty Certificate (TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)',
    });
  });

  for (const [title, options] of [
    ['TLS 1.3, asking for a certificate but not requiring one', { requestCert: true, rejectUnauthorized: false }],
    ['TLS 1.2, not asking', { maxVersion: 'TLSv1.2' }],
  ] as const) {
    it(`${title}: not required`, async () => {
      const result = await probe(await tlsServer(options as TlsOptions));
      expect(result.outcome).to.equal('not-required');
    });
  }

  it('a TLS 1.2 handshake failure with no CertificateRequest (no shared suite) is not taken for a certificate demand', async () => {
    const result = await probe(await tlsServer({ maxVersion: 'TLSv1.2', ciphers: 'PSK-AES128-CBC-SHA', pskCallback: () => null }));
    expect(result).to.include({ outcome: 'unknown', failure: 'tls', detail: 'alert 40 handshake_failure during the handshake, but a TLS 1.2 hello drew no CertificateRequest' });
  });

  it('a first handshake that failed for want of a shared suite is not stitched to a CertificateRequest: the handshake pinned to the suite the server chose decides', async () => {
    // Node's default client offers no CAMELLIA; jcstar's hand-built TLS 1.2 hello does, and draws the CertificateRequest.
    const asksOnly = await tlsServer({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CAMELLIA128-SHA256', requestCert: true, rejectUnauthorized: false });
    expect(await probe(asksOnly)).to.include({ outcome: 'not-required', version: 'TLSv1.2', detail: 'a TLSv1.2, TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 handshake completed without a client certificate, and the server kept the session' });
    const requires = await tlsServer({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CAMELLIA128-SHA256', requestCert: true, rejectUnauthorized: true });
    expect(await probe(requires)).to.include({ outcome: 'required', detail: 'alert 40 handshake_failure after a CertificateRequest and an empty Certificate (TLSv1.2, TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256)' });
  });

  it('a client key that TLS cannot use is a NetError, and the TCP connection is closed at once', async () => {
    const closed: Promise<void>[] = [];
    const server = createTcpServer((s) => closed.push(new Promise((resolve) => s.on('close', () => resolve()))));
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    servers.push(server);
    const bad = { certificate: new Secret(readFileSync(certificates.clientCertFile, 'utf8'), 'cert'), key: new Secret('-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n', 'key') };
    const port = (server.address() as { port: number }).port;
    const failed = await net.connectStream(HOST, port, { tls: true, clientCertificate: bad }).then(() => null, (err: unknown) => err);
    expect(failed).to.be.instanceOf(NetError);
    expect((failed as NetError).message).to.match(/^no TLS client could be set up: /).and.not.include('not a key');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).to.have.length(1);
    await Promise.race([closed[0], new Promise((_, reject) => setTimeout(() => reject(new Error('the TCP socket was left open')), 1000))]);
  });

  it('a self-made certificate: accepted by a server that asks but checks nothing, refused by one that verifies', async () => {
    const clientCertificate = await selfMadeClientCertificate();
    const trial = (port: number) => probeTlsClientCertificate(net, { host: HOST, port, timeoutMs: 1000, signal: new AbortController().signal, clientCertificate });
    expect(await trial(await tlsServer({ requestCert: true, rejectUnauthorized: false }))).to.include({ outcome: 'accepted', version: 'TLSv1.3' });
    // Node's server closes the TLS 1.3 session once it has judged the certificate, without an alert.
    expect(await trial(await tlsServer({ requestCert: true, rejectUnauthorized: true }))).to.deep.include({ outcome: 'refused', alert: null, detail: 'the connection closed once the certificate was sent' });
    expect(await trial(await tlsServer({ maxVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true }))).to.include({ outcome: 'refused' });
  });

  it('a port that is not TLS, and a closed port, show nothing either way', async () => {
    const plain = createTcpServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((resolve) => plain.listen(0, HOST, resolve));
    servers.push(plain);
    expect(await probe((plain.address() as { port: number }).port)).to.include({ outcome: 'unknown', failure: 'tls' });
    expect(await probe(await freePort(HOST))).to.include({ outcome: 'unknown', failure: 'refused' });
  });
});
