import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeDtls } from '../../harness/probes/dtls/probe.js';
import type { DtlsObservation, DtlsProbeError } from '../../harness/probes/tls/observation.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { COAP_SERVER_BINARIES, startCoapServer, type CoapServer } from '../support/coap-server.js';
import { requireBinaries } from '../support/daemons.js';

const net = new GuardedNetwork(new ScopeGuard(['127.0.98.0/24']), { connectionsPerSecond: 100, authAttemptsPerSecond: 100, connectTimeoutMs: 2000 });

/** Generous: on loopback a lost datagram would be a surprise, and a retransmission would upset the datagram count below. */
const TIMEOUT_MS = 3000;

async function observe(server: CoapServer, options: { trustAnchors?: Buffer[]; port?: number; timeoutMs?: number } = {}) {
  const lines: string[] = [];
  const observation = await probeDtls(net, {
    host: server.host,
    port: options.port ?? server.port,
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
    signal: new AbortController().signal,
    now: new Date(),
    trustAnchors: options.trustAnchors ?? [],
    onAttempt: (line) => lines.push(line),
  });
  return { observation, lines };
}

function observed(observation: DtlsObservation | DtlsProbeError): DtlsObservation {
  expect(observation.outcome, observation.outcome === 'error' ? observation.detail : '').to.equal('observed');
  return observation as DtlsObservation;
}

/** Every suite OpenSSL knows, by code and by its OpenSSL name; TLS 1.3's cannot be set with -cipher and do not exist in DTLS 1.2. */
function opensslSuites(): { code: number; name: string }[] {
  const listing = execFileSync('openssl', ['ciphers', '-V', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' });
  return [...listing.matchAll(/^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - \S+\s+- (\S+)/gm)]
    .map((m) => ({ code: parseInt(m[1]! + m[2]!, 16), name: m[3]! }))
    .filter((s) => s.code >> 8 !== 0x13);
}

/**
 * One handshake by OpenSSL's own client; resolves with its output once it names the negotiated suite
 * (it then lingers 0.5 s on shutdown, which the oracle's hundred-odd runs need not wait for).
 */
function sClient(server: CoapServer, args: string[]): Promise<string> {
  const psk = server.psk ? ['-psk', Buffer.from(server.psk.key).toString('hex'), '-psk_identity', 'jcstar-oracle'] : [];
  return new Promise((resolve, reject) => {
    // No CA store: nothing is verified, and loading it is most of s_client's start-up time.
    const command = ['s_client', '-connect', `${server.host}:${server.port}`, '-no-CAfile', '-no-CApath', '-no-CAstore', ...psk, ...args];
    const child = spawn('openssl', command, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15000 });
    let output = '';
    const collect = (d: Buffer) => {
      output += d.toString();
      if (/Cipher is \S+/.test(output)) child.kill();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', () => resolve(output));
  });
}

const negotiated = (output: string) => /Cipher is (\S+)/.exec(output)?.[1] ?? '(NONE)';

/**
 * The oracle: the suites with which `openssl s_client` completes a DTLS 1.2 handshake with the server
 * (the key included for PSK), one suite at a time; the server is OpenSSL, so no other suite exists for it.
 */
async function suitesOpensslCompletes(server: CoapServer): Promise<number[]> {
  const suites = opensslSuites();
  const accepted: number[] = [];
  for (let i = 0; i < suites.length; i += 8) {
    const batch = suites.slice(i, i + 8);
    const outputs = await Promise.all(batch.map((s) => sClient(server, ['-dtls1_2', '-cipher', `${s.name}:@SECLEVEL=0`])));
    batch.forEach((s, j) => {
      if (negotiated(outputs[j]!) === s.name) accepted.push(s.code);
    });
  }
  return accepted;
}

/** The cookie length in the HelloVerifyRequest that s_client -msg prints: handshake header (12), version (2), then the length byte. */
async function cookieBytesSeenByOpenssl(server: CoapServer): Promise<number | null> {
  const output = await sClient(server, ['-dtls1_2', '-msg']);
  for (const block of output.split(/^<<< /m).slice(1)) {
    const bytes = [...block.matchAll(/^\s+((?:[0-9a-f]{2} ?)+)$/gm)].flatMap((m) => m[1]!.trim().split(' ').map((h) => parseInt(h, 16)));
    if (bytes[0] === 3 && bytes.length > 14) return bytes[14]!;
  }
  return null;
}

/** One attempt is a hello, the hello with the cookie after a HelloVerifyRequest, and a close_notify after a ServerHello. */
function datagramsFor(lines: string[]): number {
  return lines.reduce((sum, line) => sum + 1 + (line.includes('HelloVerifyRequest') ? 1 : 0) + (line.includes('ServerHello ') ? 1 : 0), 0);
}

describe('DTLS probe against libcoap coap-server', function () {
  this.timeout(120000);
  before(function () {
    requireBinaries(this, COAP_SERVER_BINARIES);
  });

  describe('coap-server-openssl with a pre-shared key', () => {
    let server: CoapServer;
    let observation: DtlsObservation;
    let lines: string[];
    before(async () => {
      server = await startCoapServer({ host: '127.0.98.1', security: 'psk' });
      const run = await observe(server);
      observation = observed(run.observation);
      lines = run.lines;
    });
    after(() => server?.stop());

    it('finds DTLS 1.2 with exactly the suites with which OpenSSL s_client completes a handshake, all of them PSK suites', async () => {
      const dtls12 = observation.versions.find((v) => v.version === 'DTLSv1.2')!;
      const oracle = await suitesOpensslCompletes(server);
      expect(oracle).to.not.be.empty;
      expect(dtls12.offered).to.equal(true);
      expect(new Set(dtls12.cipherSuites.map((s) => s.code))).to.deep.equal(new Set(oracle));
      expect(dtls12.cipherSuites.every((s) => s.name.includes('_PSK_'))).to.equal(true, dtls12.cipherSuites.map((s) => s.name).join(', '));
      // OpenSSL honours the client's order unless told otherwise, and libcoap does not tell it.
      expect(dtls12.order).to.equal('client');
    });

    it('finds DTLS 1.0 refused, as s_client -dtls1 does: OpenSSL 3 allows it only at security level 0', async () => {
      expect(negotiated(await sClient(server, ['-dtls1', '-cipher', 'ALL:@SECLEVEL=0']))).to.equal('(NONE)');
      expect(observation.versions.find((v) => v.version === 'DTLSv1.0')).to.deep.equal({ version: 'DTLSv1.0', offered: false, cipherSuites: [], order: 'unknown' });
      const dtls10 = lines.filter((l) => l.startsWith('DTLSv1.0'));
      expect(dtls10).to.not.be.empty;
      expect(dtls10.every((l) => l.endsWith('→ alert protocol_version'))).to.equal(true, dtls10.join('\n'));
    });

    it('records the HelloVerifyRequest and its cookie length as s_client -msg sees it', async () => {
      const cookieBytes = await cookieBytesSeenByOpenssl(server);
      expect(cookieBytes).to.be.a('number');
      expect(observation.helloVerifyRequest).to.deep.equal({ sent: true, cookieBytes });
    });

    it('sees no certificate on a PSK-only server', () => {
      expect(observation.certificateChain).to.equal(null);
    });

    it('counts every datagram it sent: hellos, hellos with the cookie and the closing alerts', () => {
      expect(observation.datagrams).to.equal(datagramsFor(lines));
      expect(lines.every((l) => l.includes('HelloVerifyRequest (cookie '))).to.equal(true);
    });
  });

  describe('coap-server-openssl with an EC P-256 certificate', () => {
    let server: CoapServer;
    let observation: DtlsObservation;
    let certificate: X509Certificate;
    before(async () => {
      server = await startCoapServer({ host: '127.0.98.2', security: 'pki' });
      certificate = new X509Certificate(server.certificatePem!);
      observation = observed((await observe(server, { trustAnchors: [certificate.raw] })).observation);
    });
    after(() => server?.stop());

    it('finds DTLS 1.2 with exactly the suites OpenSSL s_client completes, all of them ECDHE-ECDSA', async () => {
      const dtls12 = observation.versions.find((v) => v.version === 'DTLSv1.2')!;
      const oracle = await suitesOpensslCompletes(server);
      expect(oracle).to.not.be.empty;
      expect(new Set(dtls12.cipherSuites.map((s) => s.code))).to.deep.equal(new Set(oracle));
      expect(dtls12.cipherSuites.every((s) => s.name.startsWith('TLS_ECDHE_ECDSA_'))).to.equal(true, dtls12.cipherSuites.map((s) => s.name).join(', '));
      expect(observation.versions.find((v) => v.version === 'DTLSv1.0')!.offered).to.equal(false);
    });

    it('reads the certificate chain from the Certificate message: the server certificate, its key, SAN and trust', () => {
      const chain = observation.certificateChain!;
      expect(chain).to.not.equal(null);
      expect(chain.certificates).to.have.length(1);
      const [leaf] = chain.certificates;
      expect(leaf!.sha256Fingerprint).to.equal(certificate.fingerprint256);
      expect(leaf).to.include({ keyType: 'EC', keyBits: 256, curve: 'prime256v1', signatureAlgorithm: 'ecdsa-with-SHA256', selfSigned: true });
      expect(leaf!.subjectAltNames).to.deep.equal(['IP:127.0.98.2']);
      expect(chain).to.include({ order: 'ok', hostMatches: true, expired: false, notYetValid: false, anchored: true });
    });
  });

  describe('coap-server-notls (plain CoAP only)', () => {
    let server: CoapServer;
    before(async () => {
      server = await startCoapServer({ host: '127.0.98.3', security: 'none' });
    });
    after(() => server?.stop());

    it('is not DTLS: libcoap reads the ClientHello as a CoAP message of version 0 and answers with a CoAP Reset', async () => {
      const { observation } = await observe(server);
      expect(observation).to.include({ outcome: 'error', failure: 'not-dtls', datagrams: 1 });
      // 0x70: CoAP version 1, type Reset (RFC 7252 §3), no token, code 0.00.
      expect((observation as DtlsProbeError).detail).to.match(/^answered a DTLS ClientHello with 4 bytes that are not DTLS records: 7000[0-9a-f]{4}$/);
    });

    it('is silent on the port where a DTLS build would listen: nothing is bound there, and a UDP prober sees no refusal', async () => {
      const { observation } = await observe(server, { port: server.plainPort + 1, timeoutMs: 200 });
      // Two versions, each hello sent twice.
      expect(observation).to.include({ outcome: 'error', failure: 'silent', datagrams: 4 });
    });
  });
});
