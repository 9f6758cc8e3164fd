import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeDtlsPsk } from '../../harness/probes/dtls/psk-handshake.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { COAP_SERVER_BINARIES, startCoapServer, type CoapServer } from '../support/coap-server.js';
import { requireBinaries } from '../support/daemons.js';
import { FakePskServer } from '../support/dtls-psk-server.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const HOST = '127.0.61.2';
const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 100, authAttemptsPerSecond: 100, connectTimeoutMs: 2000 });

function profile(port: number, psk: { identity: string; keyFormat?: 'text' | 'hex' } | null) {
  return {
    device: DEVICE,
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services: [{ name: 'coaps', protocol: 'coaps', port, auth: 'psk', ...(psk ? { credential: 'coaps-psk' } : {}) }],
    ...(psk ? { credentials: { 'coaps-psk': { psk: { identity: psk.identity, key: '${env:COAP_PSK}', ...(psk.keyFormat ? { keyFormat: psk.keyFormat } : {}) } } } } : {}),
    // The inventory scans the declared port only: these tests judge the PSK logins, not the attack surface.
    policy: { budgets: { replyTimeoutMs: 1000 }, portScan: { tcpPorts: '' } },
  };
}

describe('DTLS-PSK against real libcoap coap-server (OpenSSL build, -k KEY -h HINT)', function () {
  this.timeout(120000);
  let server: CoapServer;
  before(async function () {
    requireBinaries(this, COAP_SERVER_BINARIES);
    server = await startCoapServer({ host: HOST, security: 'psk' });
  });
  after(() => server?.stop());

  it('completes the handshake with the key, verifies the server Finished and reads /.well-known/core; a random key gets no Finished', async () => {
    const signal = new AbortController().signal;
    const base = { host: HOST, port: server.port, timeoutMs: 1000, signal, path: '/.well-known/core' };
    const good = await probeDtlsPsk(net, { ...base, identity: 'hub-01', key: Buffer.from(server.psk!.key) });
    expect(good.outcome).to.equal('completed');
    if (good.outcome !== 'completed') return;
    expect(good.suite).to.equal('TLS_PSK_WITH_AES_128_CCM_8');
    expect(good.identityHint).to.equal(server.psk!.hint);
    expect(good.reply).to.include({ code: '2.05', contentFormat: 40 });
    expect((good.reply as { excerpt: string }).excerpt).to.include('</time>');
    expect(good.transcript[1]).to.equal('ClientKeyExchange (identity "hub-01"), ChangeCipherSpec, Finished → ChangeCipherSpec, Finished (verified)');
    expect(JSON.stringify(good)).to.not.include(server.psk!.key);

    const started = Date.now();
    const bad = await probeDtlsPsk(net, { ...base, identity: 'nobody', key: Buffer.from('random-key') });
    expect(bad).to.include({ outcome: 'refused', stage: 'finished', alert: null, suite: 'TLS_PSK_WITH_AES_128_CCM_8' });
    // One unanswered Finished flight, sent twice: bounded by two timeouts plus the hello.
    expect(Date.now() - started).to.be.below(4000);
  });

  it('S1.1-01 PASSes with the refused random key and the declared key reading /.well-known/core; S1.1-04 PASSes; S1.1-02 is NOT_APPLICABLE', async () => {
    const { results } = await runProfile(profile(server.port, { identity: 'hub-01' }), { only: ['S1.1-01', 'S1.1-02', 'S1.1-04'], env: { COAP_PSK: server.psk!.key } });
    const check = (id: string) => results.checks.find((c) => c.id === id)!;

    const access = check('S1.1-01/unauthenticated-access/coaps');
    expect(access.verdict, access.reason).to.equal('PASS');
    expect(access.reason).to.match(
      /^coaps: a DTLS-PSK handshake with an unknown identity and a random key was refused after TLS_PSK_WITH_AES_128_CCM_8 was agreed \(did not answer the Finished: .*; evidence #\d+\); the declared psk completed it: handshake completed with TLS_PSK_WITH_AES_128_CCM_8; GET \/\.well-known\/core → 2\.05 \(\d+ bytes\) \(evidence #\d+\)$/,
    );
    expect(access.evidence.map((e) => e.data?.role)).to.deep.equal(['negative control: unknown identity, random key', 'positive control: declared identity "hub-01"']);
    expect(access.evidence[1]!.received).to.include('CoAP CON GET /.well-known/core as application data → 2.05');

    const bruteForce = check('S1.1-04/brute-force/coaps');
    expect(bruteForce.verdict, bruteForce.reason).to.equal('PASS');
    expect(bruteForce.reason).to.match(/^coaps: no password can be tried: the login is a pre-shared key, and a handshake with an unknown identity and a random key was refused .*; the declared psk completed it \(evidence #\d+\)$/);

    const defaults = check('S1.1-02/default-credentials/coaps');
    expect(defaults.verdict, defaults.reason).to.equal('NOT_APPLICABLE');
    expect(defaults.reason).to.match(/^coaps: no password login to hold a default: the login is a pre-shared key/);
    expect(JSON.stringify(results)).to.not.include(server.psk!.key);
  });

  it('S1.1-01 and S1.1-04 are INCONCLUSIVE when the declared key is wrong: check the profile', async () => {
    const { results } = await runProfile(profile(server.port, { identity: 'hub-01', keyFormat: 'hex' }), { only: ['S1.1-01', 'S1.1-04'], env: { COAP_PSK: '00112233445566778899' } });
    const access = results.checks.find((c) => c.id === 'S1.1-01/unauthenticated-access/coaps')!;
    expect(access.verdict).to.equal('INCONCLUSIVE');
    expect(access.reason).to.match(/^coaps: the declared psk of credential "coaps-psk" did not complete the handshake either \(refused .*\): check the profile/);
    const bruteForce = results.checks.find((c) => c.id === 'S1.1-04/brute-force/coaps')!;
    expect(bruteForce.verdict, bruteForce.reason).to.equal('INCONCLUSIVE');
    expect(bruteForce.reason).to.match(/^coaps: the declared psk of credential "coaps-psk" did not complete the handshake either \(refused .*; evidence #\d+\): check the profile$/);
    expect(bruteForce.evidence.map((e) => e.data?.role)).to.deep.equal(['negative control: unknown identity, random key', 'positive control: declared identity "hub-01"']);
  });
});

describe('A coaps service declared psk on a server without PSK gets no key PASS', function () {
  this.timeout(120000);
  before(function () {
    requireBinaries(this, COAP_SERVER_BINARIES);
  });

  it('S1.1-01 and S1.1-04 are INCONCLUSIVE when a certificate-only coap-server refuses every PSK suite', async () => {
    const server = await startCoapServer({ host: HOST, security: 'pki' });
    try {
      const { results } = await runProfile(profile(server.port, null), { only: ['S1.1-01', 'S1.1-04'] });
      const access = results.checks.find((c) => c.id === 'S1.1-01/unauthenticated-access/coaps')!;
      expect(access.verdict).to.equal('INCONCLUSIVE');
      expect(access.reason).to.match(/^coaps is declared auth: psk but refused every PSK suite offered \(alert handshake_failure\) \(evidence #\d+\); check the profile$/);
      const bruteForce = results.checks.find((c) => c.id === 'S1.1-04/brute-force/coaps')!;
      expect(bruteForce.verdict).to.equal('INCONCLUSIVE');
    } finally {
      await server.stop();
    }
  });
});

describe('A DTLS-PSK server that never checks the key (in-process fake)', function () {
  this.timeout(60000);

  it('S1.1-01 FAILs when it answers a random key\'s Finished with its ChangeCipherSpec and Finished; S1.1-02 and S1.1-04 are INCONCLUSIVE', async () => {
    const server = await FakePskServer.start({ host: HOST, key: Buffer.from('the-real-key'), cookie: true, ignoreClientFinished: true });
    try {
      const { results } = await runProfile(profile(server.port, null), { only: ['S1.1-01', 'S1.1-02', 'S1.1-04'] });
      const check = (id: string) => results.checks.find((c) => c.id === id)!;
      const access = check('S1.1-01/unauthenticated-access/coaps');
      expect(access.verdict, access.reason).to.equal('FAIL');
      expect(access.reason).to.match(
        /^coaps: the server completed its side of the handshake for an unknown identity and a random key: TLS_PSK_WITH_AES_128_CCM_8 agreed, then the server answered a Finished made with another key with an epoch-1 record \(content type 22\) that the agreed keys cannot open: it went on past a Finished it could not have verified \(evidence #\d+\)$/,
      );
      expect(access.evidence[0]!.data).to.include({ outcome: 'went-past-unverified-finished' });
      for (const id of ['S1.1-02/default-credentials/coaps', 'S1.1-04/brute-force/coaps']) {
        expect(check(id).verdict, check(id).reason).to.equal('INCONCLUSIVE');
        expect(check(id).reason).to.match(/^coaps went on past the Finished of a handshake with a random key \(evidence #\d+\): it does not check keys, an S1\.1-01 finding$/);
      }
    } finally {
      server.close();
    }
  });
});
