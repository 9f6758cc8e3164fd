import { createECDH, generateKeyPairSync } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import { readCertificateChain } from './certificate.js';
import { certificateKind, otherCertificateKinds } from './certificate-kinds.js';
import { CIPHER_SUITES, TLS13_CIPHER_SUITES, authenticatesWithCertificate, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV, cipherSuiteName } from './cipher-suites.js';
import type { ClientHelloOptions, KeyShare } from './client-hello.js';
import { ChoiceNotOfferedError, enumerateSuites, type HelloAnswer } from './enumerate-suites.js';
import { tlsHandshake, type ServerAnswer, type TlsEndpoint } from './handshake.js';
import type { CertificateMessageObservation, GroupObservation, KindCertificateObservation, TlsObservation, TlsProbeError, VersionObservation } from './observation.js';
import { NAMED_GROUPS, TLS_VERSIONS, groupName, type TlsVersion } from './registry.js';
import { TlsParseError, parseServerKeyExchange } from './server-messages.js';
import { ftpAuthTls, StartTlsRefused } from './starttls.js';

export interface TlsProbe {
  host: string;
  port: number;
  /** Sent as SNI when it is a DNS name. */
  serverName: string | null;
  transport: TlsObservation['transport'];
  timeoutMs: number;
  signal: AbortSignal;
  /** When certificate validity is judged. */
  now: Date;
  /** DER certificates the profile trusts for this service (its CA, or a pinned device certificate). */
  trustAnchors: Buffer[];
  /** Handshakes in flight at once. */
  concurrency?: number;
  /** Called once per hello with a line for the evidence transcript. */
  onAttempt?: (line: string) => void;
}

const LEGACY_CANDIDATES = [...CIPHER_SUITES.keys()].filter(
  (c) => !TLS13_CIPHER_SUITES.includes(c) && c !== TLS_EMPTY_RENEGOTIATION_INFO_SCSV && c !== TLS_FALLBACK_SCSV,
);
const ECDHE = /_ECDHE_(RSA|ECDSA)_/;
const DHE = /_DHE_(RSA|DSS)_/;
const EC_GROUPS = [...NAMED_GROUPS.keys()].filter((g) => g < 0x0100);

/**
 * Everything a grader needs from one TLS port, by hand-built hellos: the versions, the suites of each
 * version and the server's preference, the groups, the certificate chain of each kind of suite (RSA,
 * ECDSA…), secure renegotiation and compression. It never completes a handshake, so nothing depends on Node's TLS stack supporting what
 * the server offers; only a TLS 1.3-only server's certificate (encrypted on the wire) comes via node:tls.
 */
export async function probeTls(net: GuardedNetwork, probe: TlsProbe): Promise<TlsObservation | TlsProbeError> {
  const started = Date.now();
  // The first failure ends the hellos still in flight, so none outlives the probe.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  probe.signal.addEventListener('abort', onAbort, { once: true });
  if (probe.signal.aborted) stop.abort();
  const endpoint: TlsEndpoint = {
    host: probe.host,
    port: probe.port,
    timeoutMs: probe.timeoutMs,
    signal: stop.signal,
    upgrade: probe.transport === 'ftp-auth-tls' ? ftpAuthTls : undefined,
  };
  const keyShares = freshKeyShares();
  let handshakes = 0;
  const limit = gate(probe.concurrency ?? 4);
  const hello = (options: Omit<ClientHelloOptions, 'serverName'>, untilDone = false): Promise<ServerAnswer> =>
    limit(async () => {
      handshakes++;
      const answer = await tlsHandshake(net, endpoint, { ...options, serverName: probe.serverName }, untilDone);
      probe.onAttempt?.(describeAttempt(options, answer));
      return answer;
    });

  try {
    const versions = await Promise.all(TLS_VERSIONS.map((version) => probeVersion(version, hello, keyShares)));
    const legacy = [...versions].reverse().find((v) => v.offered && v.version !== 'TLSv1.3');
    const tls13 = versions.find((v) => v.version === 'TLSv1.3' && v.offered);
    const [groups13, ecGroups, dheBits, chainAnswer, compressionAnswer] = await Promise.all([
      tls13 ? probeGroups13(hello) : Promise.resolve([]),
      legacy ? probeEcGroups(legacy, hello) : Promise.resolve([]),
      legacy ? probeDhe(legacy, hello) : Promise.resolve([]),
      legacy ? hello({ version: legacy.version, cipherSuites: legacy.cipherSuites.map((s) => s.code) }, true) : Promise.resolve(null),
      legacy ? hello({ version: legacy.version, cipherSuites: legacy.cipherSuites.map((s) => s.code), offerCompression: true }) : Promise.resolve(null),
    ]);
    let read = legacy ? fromLegacyHandshake(legacy.version, chainAnswer!) : null;
    if (tls13 && needsTls13Read(read)) read = await certificatesViaNodeTls(net, probe);
    const chainOf = (certificates: CertificateRead | null) =>
      certificates?.ders?.length
        ? readCertificateChain(certificates.ders, { host: probe.serverName ?? probe.host, now: probe.now, trustAnchors: probe.trustAnchors, orderVisible: certificates.orderVisible })
        : { certificateChain: null, certificateError: null };
    const chain = chainOf(read);
    // One hello per other kind of certificate suite: a second certificate is never shown otherwise.
    const kindRead = read?.message.suite ? certificateKind(read.message.suite) : null;
    const otherCertificates = await Promise.all(
      otherCertificateKinds(legacy?.cipherSuites ?? [], kindRead).map(async ({ kind, suites }): Promise<KindCertificateObservation> => {
        const other = fromLegacyHandshake(legacy!.version, await hello({ version: legacy!.version, cipherSuites: suites }, true));
        return { kind, ...chainOf(other), certificateMessage: other.message };
      }),
    );
    return {
      outcome: 'observed',
      host: probe.host,
      port: probe.port,
      transport: probe.transport,
      versions,
      groups: mergeGroups([...groups13.map((g) => ({ g, v: 'TLSv1.3' as TlsVersion })), ...ecGroups.map((g) => ({ g, v: legacy!.version }))]),
      dhePrimeBits: dheBits,
      ...chain,
      certificateMessage: read?.message ?? null,
      otherCertificates,
      secureRenegotiation: chainAnswer?.kind === 'server-hello' ? chainAnswer.serverHello.secureRenegotiation : null,
      compression: compressionAnswer?.kind === 'server-hello' ? compressionAnswer.serverHello.compression === 1 : null,
      handshakes,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    stop.abort();
    if (err instanceof TlsParseError) return { outcome: 'error', host: probe.host, port: probe.port, failure: 'not-tls', detail: err.message, handshakes };
    if (err instanceof StartTlsRefused) return { outcome: 'error', host: probe.host, port: probe.port, failure: 'starttls-refused', detail: err.message, handshakes };
    if (err instanceof ChoiceNotOfferedError) return { outcome: 'error', host: probe.host, port: probe.port, failure: 'protocol', detail: err.message, handshakes };
    const e = classifyNetError(err);
    return { outcome: 'error', host: probe.host, port: probe.port, failure: e.failure, detail: e.message, handshakes };
  } finally {
    probe.signal.removeEventListener('abort', onAbort);
  }
}

type Hello = (options: Omit<ClientHelloOptions, 'serverName'>, untilDone?: boolean) => Promise<ServerAnswer>;

async function probeVersion(version: TlsVersion, hello: Hello, keyShares: KeyShare[]): Promise<VersionObservation<TlsVersion>> {
  const tls13 = version === 'TLSv1.3';
  const tryHello = async (suites: readonly number[]): Promise<HelloAnswer> => {
    const answer = await hello({ version, cipherSuites: suites, noExtensions: version === 'SSLv3', keyShares: tls13 ? keyShares : undefined });
    if (answer.kind !== 'server-hello') return { outcome: 'refused', detail: answer.kind === 'alert' ? answer.alert.name : 'closed' };
    if (answer.serverHello.version !== version) return { outcome: 'refused', detail: `answered ${answer.serverHello.version ?? 'an unknown version'}` };
    return { outcome: 'chose', suite: answer.serverHello.cipherSuite };
  };
  const { accepted, order } = await enumerateSuites(tryHello, tls13 ? TLS13_CIPHER_SUITES : LEGACY_CANDIDATES);
  return {
    version,
    offered: accepted.length > 0,
    cipherSuites: accepted.map((code) => ({ code, name: cipherSuiteName(code) })),
    order,
  };
}

/** TLS 1.3: offer one group and no key share; a HelloRetryRequest naming it means the server takes it. */
async function probeGroups13(hello: Hello): Promise<number[]> {
  const results = await Promise.all(
    [...NAMED_GROUPS.keys()].map(async (group) => {
      const answer = await hello({ version: 'TLSv1.3', cipherSuites: TLS13_CIPHER_SUITES, groups: [group], keyShares: [] });
      return answer.kind === 'server-hello' && answer.serverHello.keyShareGroup === group ? group : null;
    }),
  );
  return results.filter((g): g is number => g !== null);
}

/** TLS ≤ 1.2: offer the accepted ECDHE suites with one curve; the ServerKeyExchange names the curve used. */
async function probeEcGroups(version: VersionObservation<TlsVersion>, hello: Hello): Promise<number[]> {
  const suites = version.cipherSuites.filter((s) => ECDHE.test(s.name)).map((s) => s.code);
  if (suites.length === 0) return [];
  const results = await Promise.all(
    EC_GROUPS.map(async (group) => {
      const answer = await hello({ version: version.version, cipherSuites: suites, groups: [group] }, true);
      if (answer.kind !== 'server-hello' || !answer.serverKeyExchange || !ECDHE.test(cipherSuiteName(answer.serverHello.cipherSuite))) return null;
      const params = parseServerKeyExchange(answer.serverKeyExchange, 'ecdhe');
      return params.kind === 'ecdhe' && params.group === group ? group : null;
    }),
  );
  return results.filter((g): g is number => g !== null);
}

/** The finite-field prime a DHE suite really uses (RFC 5246 §7.4.3). */
async function probeDhe(version: VersionObservation<TlsVersion>, hello: Hello): Promise<number[]> {
  const suites = version.cipherSuites.filter((s) => DHE.test(s.name)).map((s) => s.code);
  if (suites.length === 0) return [];
  const answer = await hello({ version: version.version, cipherSuites: suites }, true);
  if (answer.kind !== 'server-hello' || !answer.serverKeyExchange) return [];
  const params = parseServerKeyExchange(answer.serverKeyExchange, 'dhe');
  return params.kind === 'dhe' ? [params.primeBits] : [];
}

function mergeGroups(found: { g: number; v: TlsVersion }[]): GroupObservation[] {
  const byCode = new Map<number, GroupObservation>();
  for (const { g, v } of found) {
    const entry = byCode.get(g) ?? { code: g, name: groupName(g), versions: [] };
    if (!entry.versions.includes(v)) entry.versions.push(v);
    byCode.set(g, entry);
  }
  return [...byCode.values()].sort((a, b) => a.code - b.code);
}

/** The certificates a handshake showed, and what its Certificate message held. */
interface CertificateRead {
  ders: Buffer[] | null;
  message: CertificateMessageObservation;
  /** The chain came as the server ordered it (TLS ≤ 1.2 by hand), not rebuilt by node:tls. */
  orderVisible: boolean;
}

/** TLS 1.3 is asked when TLS ≤ 1.2 showed no certificate it should have: a missing one on a certificate suite stands as found. */
function needsTls13Read(read: CertificateRead | null): boolean {
  if (read === null || read.message.content === 'incomplete') return true;
  return read.message.content === 'absent' && read.message.suite !== null && !authenticatesWithCertificate(read.message.suite);
}

/** TLS ≤ 1.2: the Certificate message of the hello that offered every accepted suite, read up to ServerHelloDone. */
function fromLegacyHandshake(version: TlsVersion, answer: ServerAnswer): CertificateRead {
  if (answer.kind !== 'server-hello') {
    const detail = answer.kind === 'alert' ? `alert ${answer.alert.name}` : 'closed without a ServerHello';
    return { ders: null, message: { version, suite: null, content: 'incomplete', detail }, orderVisible: true };
  }
  const suite = cipherSuiteName(answer.serverHello.cipherSuite);
  const read = (content: CertificateMessageObservation['content'], detail: string | null = null, ders: Buffer[] | null = null): CertificateRead => ({
    ders,
    message: { version, suite, content, detail },
    orderVisible: true,
  });
  if (answer.certificateProblem !== null) return read('malformed', answer.certificateProblem);
  if (answer.certificates !== null) return read(answer.certificates.length > 0 ? 'chain' : 'empty', null, answer.certificates);
  return answer.flightComplete ? read('absent') : read('incomplete', 'the flight ended before ServerHelloDone');
}

/** TLS 1.3 encrypts the Certificate; node:tls completes the handshake to read it (order as sent is lost). */
async function certificatesViaNodeTls(net: GuardedNetwork, probe: TlsProbe): Promise<CertificateRead> {
  const incomplete = (detail: string): CertificateRead => ({ ders: null, message: { version: 'TLSv1.3', suite: null, content: 'incomplete', detail }, orderVisible: false });
  const socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  if (probe.transport === 'ftp-auth-tls') await ftpAuthTls(socket, probe.timeoutMs, probe.signal).catch((err: unknown) => {
    socket.destroy();
    throw err;
  });
  return new Promise((resolve) => {
    const tls = tlsConnect({ socket, servername: probe.serverName ?? undefined, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    const timer = setTimeout(() => done(incomplete(`no TLS 1.3 handshake within ${probe.timeoutMs} ms`)), probe.timeoutMs);
    const done = (read: CertificateRead) => {
      clearTimeout(timer);
      tls.destroy();
      socket.destroy();
      resolve(read);
    };
    tls.once('error', (err) => done(incomplete(`the TLS 1.3 handshake failed: ${err.message}`)));
    tls.once('secureConnect', () => {
      const ders: Buffer[] = [];
      for (let cert = tls.getPeerCertificate(true); cert?.raw && !ders.some((d) => d.equals(cert.raw)); cert = cert.issuerCertificate) {
        ders.push(cert.raw);
      }
      const suite = tls.getCipher().standardName;
      done({ ders, message: { version: 'TLSv1.3', suite, content: ders.length > 0 ? 'chain' : 'empty', detail: null }, orderVisible: false });
    });
  });
}

function freshKeyShares(): KeyShare[] {
  const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' });
  const p256 = createECDH('prime256v1');
  return [
    { group: 0x001d, publicKey: Buffer.from(x25519.subarray(x25519.length - 32)) },
    { group: 0x0017, publicKey: p256.generateKeys() },
  ];
}

/** A small semaphore: at most `n` handshakes at once, on top of the network's connection rate limit. */
function gate(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((resume) => waiting.push(resume));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function describeAttempt(options: Omit<ClientHelloOptions, 'serverName'>, answer: ServerAnswer): string {
  const offered = `${options.version} hello, ${options.cipherSuites.length} suite(s)${options.groups ? `, groups ${options.groups.map(groupName).join(' ')}` : ''}${options.offerCompression ? ', DEFLATE offered' : ''}`;
  if (answer.kind === 'alert') return `${offered} → alert ${answer.alert.name}`;
  if (answer.kind === 'closed') return `${offered} → closed without a ServerHello`;
  const sh = answer.serverHello;
  const kind = sh.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello';
  return `${offered} → ${kind} ${sh.version ?? `0x${sh.versionCode.toString(16)}`} ${cipherSuiteName(sh.cipherSuite)}${sh.keyShareGroup !== null ? ` group ${groupName(sh.keyShareGroup)}` : ''}`;
}

