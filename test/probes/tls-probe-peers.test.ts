import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeTls, type TlsProbe } from '../../harness/probes/tls/probe.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { testCertificates } from '../support/certificates.js';

const HOST = '127.0.99.1';

async function peer(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { server, port: (server.address() as { port: number }).port };
}

function probeOptions(port: number, overrides: Partial<TlsProbe> = {}): TlsProbe {
  return {
    host: HOST,
    port,
    serverName: null,
    transport: 'implicit',
    timeoutMs: 500,
    signal: new AbortController().signal,
    now: new Date(),
    trustAnchors: [],
    ...overrides,
  };
}

const net = () => new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1000, authAttemptsPerSecond: 5, connectTimeoutMs: 1000 });

describe('probeTls against peers that are not well-behaved TLS servers', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  it('calls a peer that answers plaintext "not-tls", with the bytes it sent', async () => {
    const { server, port } = await peer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    servers.push(server);
    const observation = await probeTls(net(), probeOptions(port));
    expect(observation).to.include({ outcome: 'error', failure: 'not-tls' });
    expect(observation.outcome === 'error' && observation.detail).to.equal('not a TLS record (first bytes 485454502f312e31)');
  });

  it('gives a timeout error, not a hang, when the peer never answers', async () => {
    const { server, port } = await peer(() => {});
    servers.push(server);
    const started = Date.now();
    const observation = await probeTls(net(), probeOptions(port, { timeoutMs: 300 }));
    expect(observation).to.include({ outcome: 'error', failure: 'timeout' });
    expect(Date.now() - started).to.be.below(5000);
  });

  it('observes no version at all when every hello is closed on, and no certificate', async () => {
    const { server, port } = await peer((socket) => socket.once('data', () => socket.destroy()));
    servers.push(server);
    const observation = await probeTls(net(), probeOptions(port));
    if (observation.outcome !== 'observed') throw new Error(`expected an observation, got ${JSON.stringify(observation)}`);
    expect(observation.versions.map((v) => [v.version, v.offered])).to.deep.equal([
      ['SSLv3', false], ['TLSv1.0', false], ['TLSv1.1', false], ['TLSv1.2', false], ['TLSv1.3', false],
    ]);
    expect(observation.certificateChain).to.equal(null);
    expect(observation.certificateMessage).to.equal(null);
    // One refused hello per chunk of legacy suites (3 chunks) per legacy version, one for TLS 1.3.
    expect(observation.handshakes).to.equal(4 * 3 + 1);
  });

  it('reports a refused connection as such', async () => {
    const { server, port } = await peer(() => {});
    await new Promise((resolve) => server.close(resolve));
    const observation = await probeTls(net(), probeOptions(port));
    expect(observation).to.include({ outcome: 'error', failure: 'refused' });
  });

  it('stops when the run is interrupted', async () => {
    const { server, port } = await peer(() => {});
    servers.push(server);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const observation = await probeTls(net(), probeOptions(port, { timeoutMs: 5000, signal: controller.signal }));
    expect(observation).to.include({ outcome: 'error', failure: 'aborted' });
  });
});

describe('probeTls against a TLS 1.3-only server', function () {
  this.timeout(30000);

  it('reads the chain through node:tls, since TLS 1.3 encrypts it, and says the order was not visible', async () => {
    const certs = await testCertificates();
    const server = createTlsServer({
      key: readFileSync(certs.leafEc.keyFile),
      cert: readFileSync(certs.leafEc.chainFile),
      minVersion: 'TLSv1.3',
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const network = new GuardedNetwork(new ScopeGuard(['127.0.0.1/32']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 5, connectTimeoutMs: 1000 });
      const observation = await probeTls(network, { ...probeOptions(port), host: '127.0.0.1', trustAnchors: [certs.root.der] });
      if (observation.outcome !== 'observed') throw new Error(`expected an observation, got ${JSON.stringify(observation)}`);
      expect(observation.versions.filter((v) => v.offered).map((v) => v.version)).to.deep.equal(['TLSv1.3']);
      expect(observation.certificateChain).to.include({ order: 'unknown', anchored: true, hostMatches: true });
      expect(observation.certificateChain!.certificates.map((c) => c.keyType)).to.deep.equal(['EC', 'EC']);
      expect(observation.certificateMessage).to.deep.equal({ version: 'TLSv1.3', suite: 'TLS_AES_256_GCM_SHA384', content: 'chain', detail: null });
      expect([observation.secureRenegotiation, observation.compression]).to.deep.equal([null, null]);
    } finally {
      server.close();
    }
  });
});
