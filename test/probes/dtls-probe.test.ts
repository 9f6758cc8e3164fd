import { X509Certificate, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeDtls, type DtlsProbe } from '../../harness/probes/dtls/probe.js';
import type { DtlsObservation, DtlsProbeError } from '../../harness/probes/tls/observation.js';
import { ScopeGuard, ScopeViolation } from '../../harness/scope/guard.js';
import { judgeDtls } from '../../harness/crypto/judge-dtls.js';
import { testCertificates } from '../support/certificates.js';
import { dtlsRecord, handshakeFragment } from '../support/dtls-wire.js';
import { rulesWith as cryptoRules } from '../crypto/observations.js';

const HOST = '127.0.98.201';
const net = new GuardedNetwork(new ScopeGuard(['127.0.98.0/24']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });

/** Self-signed EC P-256 for fake-dtls.test, valid 2026-11-21 to 2126-10-28 (openssl req -x509). */
const CERTIFICATE = new X509Certificate(`-----BEGIN CERTIFICATE-----
MIIBpTCCAUqgAwIBAgIUevgTNCSn6KJCBMtkWyqICD6NEWUwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOZmFrZS1kdGxzLnRlc3QwIBcNMjYxMTIxMjMxMTQwWhgPMjEy
NjEwMjgyMzExNDBaMBkxFzAVBgNVBAMMDmZha2UtZHRscy50ZXN0MFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAExIxZiwKepFV2ZCqklvXbVwYQi+CA677UtPMEy8Rf
vojfRGO3HBICP4WnwVJakEvegwg0CDjfOYHMZYJlJwToA6NuMGwwHQYDVR0OBBYE
FNOSkHHvXUy2Vupp7hN/5JbRBBb8MB8GA1UdIwQYMBaAFNOSkHHvXUy2Vupp7hN/
5JbRBBb8MA8GA1UdEwEB/wQFMAMBAf8wGQYDVR0RBBIwEIIOZmFrZS1kdGxzLnRl
c3QwCgYIKoZIzj0EAwIDSQAwRgIhAITQbipLD++r/WEzYAOxPpURTYxnRQmE+oTC
vkPsO6GxAiEA5iTRrYZBtywdUvPHpNxS4QfriwIFAlN7kC2ByszCJAI=
-----END CERTIFICATE-----`);

const DTLS12 = 0xfefd;
const DTLS10 = 0xfeff;
const PSK_AES_128_CCM_8 = 0xc0a8;
const PSK_AES_128_GCM_SHA256 = 0x00a8;
const PSK_AES_128_CBC_SHA256 = 0x00ae;
const ECDHE_ECDSA_AES_128_GCM_SHA256 = 0xc02b;
const ECDHE_RSA_AES_128_GCM_SHA256 = 0xc02f;

// --- the server's side of the wire, built by hand ---

const record = (type: number, versionCode: number, sequence: number, fragment: Buffer) => dtlsRecord(type, versionCode, 0, sequence, fragment);

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);

const helloVerifyRequest = (cookie: Buffer) => Buffer.concat([u16(DTLS10), Buffer.from([cookie.length]), cookie]);
const serverHello = (versionCode: number, suite: number) => Buffer.concat([u16(versionCode), randomBytes(32), Buffer.from([0]), u16(suite), Buffer.from([0])]);
const certificateMessage = (der: Buffer) => Buffer.concat([u24(der.length + 3), u24(der.length), der]);
const alert = (description: number) => Buffer.from([2, description]);

/** What the fake server read from one ClientHello datagram. */
interface SeenHello {
  recordSeq: number;
  messageSeq: number;
  versionCode: number;
  random: Buffer;
  cookie: Buffer;
  suites: number[];
}

function parseHello(datagram: Buffer): SeenHello | null {
  if (datagram[0] !== 22 || datagram[13] !== 1) return null;
  const body = datagram.subarray(25);
  const sessionLength = body[34]!;
  const cookieAt = 35 + sessionLength;
  const cookie = body.subarray(cookieAt + 1, cookieAt + 1 + body[cookieAt]!);
  const suitesAt = cookieAt + 1 + cookie.length;
  const suites: number[] = [];
  for (let i = 0; i < body.readUInt16BE(suitesAt); i += 2) suites.push(body.readUInt16BE(suitesAt + 2 + i));
  return { recordSeq: datagram.readUIntBE(5, 6), messageSeq: datagram.readUInt16BE(17), versionCode: body.readUInt16BE(0), random: body.subarray(2, 34), cookie, suites };
}

interface FakeServer {
  /** DTLS versions it accepts. */
  versions: number[];
  /** Its suites in its order of preference; it picks the first the client offers. */
  suites: number[];
  /** Asks for this cookie first; null: answers the first hello directly. */
  cookie: Buffer | null;
  certificate?: Buffer;
  /** A certificate per suite, in place of `certificate`, as a server holding an ECDSA and an RSA certificate; none for a suite left out. */
  certificateBySuite?: Map<number, Buffer>;
  /** Cuts every message into fragments of this many bytes, sends them in reverse order, two records per datagram, the last one twice. */
  fragmentBytes?: number;
  /** The version it writes in its ServerHello; default the one asked for. */
  answerVersion?: number;
}

/** The answer of a fake DTLS server to one hello, as a list of datagrams. */
function answer(server: FakeServer, hello: SeenHello): Buffer[] {
  if (server.cookie && !hello.cookie.equals(server.cookie)) {
    return [record(22, DTLS10, 0, handshakeFragment(3, hello.messageSeq, helloVerifyRequest(server.cookie)))];
  }
  if (!server.versions.includes(hello.versionCode)) return [record(21, DTLS10, 0, alert(70))];
  const suite = server.suites.find((s) => hello.suites.includes(s));
  if (suite === undefined) return [record(21, hello.versionCode, 0, alert(40))];
  const version = server.answerVersion ?? hello.versionCode;
  const messages: [number, Buffer][] = [[2, serverHello(version, suite)]];
  const certificate = server.certificateBySuite ? server.certificateBySuite.get(suite) : server.certificate;
  if (certificate) messages.push([11, certificateMessage(certificate)]);
  messages.push([14, Buffer.alloc(0)]);
  const fragments = messages.flatMap(([type, body], i) => {
    const seq = hello.messageSeq + i;
    const size = server.fragmentBytes ?? Math.max(body.length, 1);
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < Math.max(body.length, 1); offset += size) pieces.push(handshakeFragment(type, seq, body, offset, Math.min(size, body.length - offset)));
    return pieces;
  });
  if (!server.fragmentBytes) return [Buffer.concat(fragments.map((f, i) => record(22, version, i, f)))];
  const reordered = [...fragments].reverse();
  reordered.push(reordered[0]!);
  const datagrams: Buffer[] = [];
  for (let i = 0; i < reordered.length; i += 2) datagrams.push(Buffer.concat(reordered.slice(i, i + 2).map((f, j) => record(22, version, i + j, f))));
  return datagrams;
}

/** A UDP peer on loopback that answers each datagram with `respond`'s datagrams, and keeps what it received. */
class FakePeer {
  readonly received: Buffer[] = [];
  private constructor(readonly socket: Socket, readonly port: number) {}

  static async start(respond: (datagram: Buffer, count: number) => Buffer[]): Promise<FakePeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
    const peer = new FakePeer(socket, socket.address().port);
    socket.on('message', (datagram, from) => {
      peer.received.push(datagram);
      for (const reply of respond(datagram, peer.received.length)) socket.send(reply, from.port, from.address);
    });
    return peer;
  }

  static server(server: FakeServer): Promise<FakePeer> {
    return FakePeer.start((datagram) => {
      const hello = parseHello(datagram);
      return hello ? answer(server, hello) : [];
    });
  }

  get hellos(): SeenHello[] {
    return this.received.map(parseHello).filter((h): h is SeenHello => h !== null);
  }

  /** The alerts we sent it, as hex of level and description. */
  get alerts(): string[] {
    return this.received.filter((d) => d[0] === 21).map((d) => d.subarray(13).toString('hex'));
  }

  close(): void {
    this.socket.close();
  }
}

function probe(peer: FakePeer, overrides: Partial<DtlsProbe> = {}): Promise<DtlsObservation | DtlsProbeError> {
  const now = new Date('2030-01-01T00:00:00Z');
  return probeDtls(net, { host: HOST, port: peer.port, timeoutMs: 500, signal: new AbortController().signal, now, trustAnchors: [], ...overrides });
}

function observed(observation: DtlsObservation | DtlsProbeError): DtlsObservation {
  expect(observation.outcome, observation.outcome === 'error' ? observation.detail : '').to.equal('observed');
  return observation as DtlsObservation;
}

const version = (o: DtlsObservation, v: 'DTLSv1.0' | 'DTLSv1.2') => o.versions.find((x) => x.version === v)!;

describe('DTLS probe against fake UDP peers', function () {
  this.timeout(20000);
  const peers: FakePeer[] = [];
  const start = async (peer: Promise<FakePeer>) => {
    const started = await peer;
    peers.push(started);
    return started;
  };
  afterEach(() => peers.splice(0).forEach((p) => p.close()));

  it('enumerates the suites of a cookie-asking server per version, in its order of preference', async () => {
    const cookie = randomBytes(20);
    const peer = await start(FakePeer.server({ versions: [DTLS12], suites: [PSK_AES_128_CCM_8, PSK_AES_128_CBC_SHA256, PSK_AES_128_GCM_SHA256], cookie }));
    const observation = observed(await probe(peer));
    expect(version(observation, 'DTLSv1.2')).to.deep.equal({
      version: 'DTLSv1.2',
      offered: true,
      cipherSuites: [
        { code: PSK_AES_128_CCM_8, name: 'TLS_PSK_WITH_AES_128_CCM_8' },
        { code: PSK_AES_128_CBC_SHA256, name: 'TLS_PSK_WITH_AES_128_CBC_SHA256' },
        { code: PSK_AES_128_GCM_SHA256, name: 'TLS_PSK_WITH_AES_128_GCM_SHA256' },
      ],
      order: 'server',
    });
    expect(version(observation, 'DTLSv1.0')).to.deep.equal({ version: 'DTLSv1.0', offered: false, cipherSuites: [], order: 'unknown' });
    expect(observation.helloVerifyRequest).to.deep.equal({ sent: true, cookieBytes: 20 });
    expect(observation.certificateChain).to.equal(null);
    expect(observation.datagrams).to.equal(peer.received.length);
  });

  it('repeats the first hello with the cookie: same random, message_seq 1, next record sequence; then closes with close_notify', async () => {
    const cookie = randomBytes(8);
    const peer = await start(FakePeer.server({ versions: [DTLS12, DTLS10], suites: [PSK_AES_128_CCM_8], cookie }));
    observed(await probe(peer));
    const hellos = peer.hellos;
    const first = hellos.filter((h) => h.cookie.length === 0);
    const second = hellos.filter((h) => h.cookie.length > 0);
    expect(first).to.have.length(second.length);
    first.forEach((h, i) => {
      expect(h).to.include({ messageSeq: 0, recordSeq: 0 });
      expect(second[i]).to.include({ messageSeq: 1, recordSeq: 1, versionCode: h.versionCode });
      expect(second[i]!.random).to.deep.equal(h.random);
      expect(second[i]!.cookie).to.deep.equal(cookie);
      expect(second[i]!.suites).to.deep.equal(h.suites);
    });
    // One close_notify (warning, 0) per ServerHello: one per version for the suite, none for the refusals.
    expect(peer.alerts).to.deep.equal(['0100', '0100']);
  });

  it('records that a server answered without a cookie exchange', async () => {
    const peer = await start(FakePeer.server({ versions: [DTLS12], suites: [PSK_AES_128_CCM_8], cookie: null }));
    const observation = observed(await probe(peer));
    expect(observation.helloVerifyRequest).to.deep.equal({ sent: false, cookieBytes: null });
    expect(version(observation, 'DTLSv1.2').cipherSuites.map((s) => s.code)).to.deep.equal([PSK_AES_128_CCM_8]);
    expect(peer.hellos.every((h) => h.cookie.length === 0 && h.messageSeq === 0)).to.equal(true);
  });

  it('reassembles a fragmented flight that arrives reversed, packed two records a datagram, with a duplicate, and reads the certificate', async () => {
    const peer = await start(
      FakePeer.server({ versions: [DTLS12], suites: [ECDHE_ECDSA_AES_128_GCM_SHA256], cookie: randomBytes(16), certificate: CERTIFICATE.raw, fragmentBytes: 100 }),
    );
    const observation = observed(await probe(peer, { serverName: 'fake-dtls.test' }));
    expect(version(observation, 'DTLSv1.2').cipherSuites.map((s) => s.code)).to.deep.equal([ECDHE_ECDSA_AES_128_GCM_SHA256]);
    const chain = observation.certificateChain!;
    expect(chain.certificates.map((c) => c.sha256Fingerprint)).to.deep.equal([CERTIFICATE.fingerprint256]);
    expect(chain.certificates[0]).to.include({ keyType: 'EC', curve: 'prime256v1', selfSigned: true });
    expect(chain).to.include({ hostMatches: true, expired: false, anchored: null, checkedAt: '2030-01-01T00:00:00.000Z' });
  });

  it('reads the certificate of each kind of suite with one more hello, and the judge fails a 1024-bit RSA one beside ECDSA', async () => {
    const weak = new X509Certificate(readFileSync((await testCertificates()).weak.certFile));
    const certificateBySuite = new Map([[ECDHE_ECDSA_AES_128_GCM_SHA256, CERTIFICATE.raw], [ECDHE_RSA_AES_128_GCM_SHA256, weak.raw]]);
    const suites = [ECDHE_ECDSA_AES_128_GCM_SHA256, ECDHE_RSA_AES_128_GCM_SHA256];
    const lines: string[] = [];
    const peer = await start(FakePeer.server({ versions: [DTLS12], suites, cookie: null, certificateBySuite }));
    const observation = observed(await probe(peer, { onAttempt: (line) => lines.push(line) }));
    expect(observation.certificateChain!.certificates.map((c) => c.sha256Fingerprint)).to.deep.equal([CERTIFICATE.fingerprint256]);
    expect(observation.otherCertificates).to.have.length(1);
    const [rsa] = observation.otherCertificates;
    expect(rsa!.kind).to.equal('RSA');
    expect(rsa!.certificateMessage).to.deep.equal({ version: 'DTLSv1.2', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', content: 'chain', detail: null });
    expect(rsa!.certificateChain!.certificates[0]).to.include({ keyType: 'RSA', keyBits: 1024, sha256Fingerprint: weak.fingerprint256 });
    expect(lines.at(-1)).to.equal('DTLSv1.2 ClientHello with 1 suite → ServerHello DTLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, Certificate (1)');
    const findings = judgeDtls(observation, cryptoRules());
    expect(findings.filter((f) => f.severity === 'fail').map((f) => f.item)).to.include('certificate RSA key of 1024 bits (on the RSA suites)');

    // An RSA flight without its certificate: that kind was not read, and the verdict cannot be PASS.
    const silentRsa = await start(FakePeer.server({ versions: [DTLS12], suites, cookie: null, certificateBySuite: new Map([[ECDHE_ECDSA_AES_128_GCM_SHA256, CERTIFICATE.raw]]) }));
    const unreadRsa = judgeDtls(observed(await probe(silentRsa)), cryptoRules()).filter((f) => f.severity === 'unread');
    expect(unreadRsa.map((f) => f.item)).to.deep.equal([
      'the server accepts TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, but its certificate was not read: no Certificate message in the flight (on the RSA suites)',
    ]);
  });

  it('takes a ServerHello of another version as a refusal of the version asked for', async () => {
    const peer = await start(FakePeer.server({ versions: [DTLS12, DTLS10], suites: [PSK_AES_128_CCM_8], cookie: null, answerVersion: DTLS10 }));
    const observation = observed(await probe(peer));
    expect(version(observation, 'DTLSv1.2').offered).to.equal(false);
    expect(version(observation, 'DTLSv1.0').cipherSuites.map((s) => s.code)).to.deep.equal([PSK_AES_128_CCM_8]);
  });

  it('reads alerts as refusals and names them in the transcript', async () => {
    const peer = await start(FakePeer.server({ versions: [DTLS12], suites: [PSK_AES_128_CCM_8], cookie: randomBytes(4) }));
    const lines: string[] = [];
    observed(await probe(peer, { onAttempt: (line) => lines.push(line) }));
    expect(lines.filter((l) => l.startsWith('DTLSv1.0'))).to.deep.equal(
      Array(3).fill('DTLSv1.0 ClientHello with 128 suites → HelloVerifyRequest (cookie 4 bytes) → ClientHello with cookie → alert protocol_version').fill(
        'DTLSv1.0 ClientHello with 96 suites → HelloVerifyRequest (cookie 4 bytes) → ClientHello with cookie → alert protocol_version',
        2,
      ),
    );
    expect(lines).to.include('DTLSv1.2 ClientHello with 128 suites → HelloVerifyRequest (cookie 4 bytes) → ClientHello with cookie → alert handshake_failure');
  });

  it('retransmits an unanswered hello once, under a new record sequence number', async () => {
    const server: FakeServer = { versions: [DTLS12], suites: [PSK_AES_128_CCM_8], cookie: null };
    // Loses the very first datagram, as a lossy link would.
    const peer = await start(
      FakePeer.start((datagram, count) => {
        const hello = parseHello(datagram);
        return count === 1 || !hello ? [] : answer(server, hello);
      }),
    );
    const started = Date.now();
    const observation = observed(await probe(peer, { timeoutMs: 300 }));
    expect(Date.now() - started).to.be.within(300, 3000);
    expect(version(observation, 'DTLSv1.2').cipherSuites.map((s) => s.code)).to.deep.equal([PSK_AES_128_CCM_8]);
    const [lost, retransmitted] = peer.hellos;
    expect(lost).to.include({ recordSeq: 0, messageSeq: 0 });
    expect(retransmitted).to.include({ recordSeq: 1, messageSeq: 0 });
    expect(retransmitted!.random).to.deep.equal(lost!.random);
    expect(observation.datagrams).to.equal(peer.received.length);
  });

  it('reports garbage in answer to a hello as not DTLS, with the bytes that came back', async () => {
    const peer = await start(FakePeer.start(() => [Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]));
    const observation = await probe(peer);
    expect(observation).to.deep.equal({
      outcome: 'error',
      host: HOST,
      port: peer.port,
      failure: 'not-dtls',
      detail: `answered a DTLS ClientHello with 28 bytes that are not DTLS records: ${Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n').toString('hex')}`,
      datagrams: 1,
    });
  });

  it('reports silence once the hello of each version went out twice, within the time that allows', async () => {
    const peer = await start(FakePeer.start(() => []));
    const started = Date.now();
    const observation = await probe(peer, { timeoutMs: 150 });
    expect(Date.now() - started).to.be.within(4 * 150, 4 * 150 + 1000);
    expect(observation).to.include({ outcome: 'error', failure: 'silent', datagrams: 4 });
    expect(peer.hellos.map((h) => [h.versionCode, h.recordSeq])).to.deep.equal([[DTLS12, 0], [DTLS12, 1], [DTLS10, 0], [DTLS10, 1]]);
  });

  it('counts a server that asks for a cookie and then never answers as refusing every version', async () => {
    const cookie = randomBytes(12);
    const peer = await start(
      FakePeer.start((datagram) => {
        const hello = parseHello(datagram);
        return hello?.cookie.length === 0 ? answer({ versions: [], suites: [], cookie }, hello) : [];
      }),
    );
    const observation = observed(await probe(peer, { timeoutMs: 100 }));
    expect(observation.versions.map((v) => v.offered)).to.deep.equal([false, false]);
    expect(observation.helloVerifyRequest).to.deep.equal({ sent: true, cookieBytes: 12 });
  });

  it('is a protocol error when the server refuses the cookie it just issued', async () => {
    const peer = await start(FakePeer.start((datagram) => {
      const hello = parseHello(datagram)!;
      return [record(22, DTLS10, 0, handshakeFragment(3, hello.messageSeq, helloVerifyRequest(randomBytes(8))))];
    }));
    expect(await probe(peer)).to.include({ outcome: 'error', failure: 'protocol', detail: 'sent a second HelloVerifyRequest: it refused the cookie it had just issued' });
  });

  it('stops reading a peer that floods fragments that never complete a message', async () => {
    const peer = await start(FakePeer.start((datagram) => {
      const hello = parseHello(datagram)!;
      return Array.from({ length: 80 }, (_, i) => record(22, DTLS12, i, handshakeFragment(2, hello.messageSeq, Buffer.alloc(1000), 0, 10)));
    }));
    expect(await probe(peer)).to.include({ outcome: 'error', failure: 'protocol', detail: 'more than 64 datagrams without a complete answer to the ClientHello' });
  });

  it('ends at once when aborted', async () => {
    const peer = await start(FakePeer.start(() => []));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const observation = await probe(peer, { timeoutMs: 5000, signal: controller.signal });
    expect(Date.now() - started).to.be.below(1000);
    expect(observation).to.include({ outcome: 'error', failure: 'aborted' });
  });

  it('refuses a host outside the scope before anything is sent', async () => {
    const peer = await start(FakePeer.start(() => []));
    let thrown: unknown;
    await probe(peer, { host: '127.0.97.1' }).catch((err: unknown) => (thrown = err));
    expect(thrown).to.be.instanceOf(ScopeViolation);
    expect(peer.received).to.have.length(0);
  });
});
