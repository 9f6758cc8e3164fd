import type { GuardedNetwork } from '../../net/network.js';
import { NetError } from '../../net/errors.js';
import { readCertificateChain } from '../tls/certificate.js';
import { CIPHER_SUITES, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV, authenticatesWithCertificate, cipherSuiteName } from '../tls/cipher-suites.js';
import { ChoiceNotOfferedError, enumerateSuites, type HelloAnswer } from '../tls/enumerate-suites.js';
import { certificateKind, otherCertificateKinds } from '../tls/certificate-kinds.js';
import type { CertificateMessageObservation, DtlsObservation, DtlsProbeError, KindCertificateObservation, VersionObservation } from '../tls/observation.js';
import { DTLS_VERSIONS, versionName, type DtlsVersion } from '../tls/registry.js';
import { TlsParseError } from '../tls/server-messages.js';
import type { DatagramTally } from './datagram-channel.js';
import { dtlsHandshake, type CookieExchange, type DtlsAnswer, type DtlsEndpoint } from './handshake.js';

export interface DtlsProbe {
  host: string;
  port: number;
  /** Sent as SNI when it is a DNS name. */
  serverName?: string | null;
  /** Per flight: unanswered, it is sent once more and then given up, so one hello costs at most 2 × timeoutMs per flight. */
  timeoutMs: number;
  signal: AbortSignal;
  /** When certificate validity is judged. */
  now: Date;
  /** DER certificates the profile trusts for this service (its CA, or a pinned device certificate). */
  trustAnchors: Buffer[];
  /** Called once per hello with a line for the evidence transcript. */
  onAttempt?: (line: string) => void;
}

/** Every suite a DTLS 1.0/1.2 server could choose: all known ones but TLS 1.3's (0x13xx) and the signalling values. */
export const DTLS_CANDIDATE_SUITES: readonly number[] = [...CIPHER_SUITES.keys()].filter(
  (c) => c >> 8 !== 0x13 && c !== TLS_EMPTY_RENEGOTIATION_INFO_SCSV && c !== TLS_FALLBACK_SCSV,
);

/** DTLS 1.2 first: a server that drops hellos of a version it lacks must not look silent because of DTLS 1.0. */
const PROBE_ORDER: readonly DtlsVersion[] = ['DTLSv1.2', 'DTLSv1.0'];

/** What the hellos of one probe have shown, beyond each hello's own answer. */
interface Sightings {
  /** Some hello got a DTLS answer, if only a HelloVerifyRequest. */
  answered: boolean;
  /** The cookie exchange of the first answered hello. */
  firstCookie: CookieExchange | null;
  /** The cookie exchange of the first hello that reached a ServerHello: the one the observation reports when there is one. */
  serverHelloCookie: CookieExchange | null;
  /** From the first ServerHello flight that carried a Certificate; DTLS 1.2 is asked first. */
  certificates: Buffer[] | null;
  /** The Certificate message of the first ServerHello on a certificate-based suite. */
  certificateMessage: CertificateMessageObservation | null;
}

/** Ends the whole probe: the port answers, but not in DTLS. */
class NotDtlsError extends Error {}
/** Ends one version's enumeration: nothing on the port has answered any hello yet. */
class UnansweredError extends Error {}

/**
 * The versions and cipher suites of a DTLS port (CoAPS and the like), the cookie exchange, and the
 * certificate chain of each kind of suite (RSA, ECDSA…), by hand-built hellos over UDP; no handshake is
 * completed, so PSK suites are found without the key. Hellos go one at a time: a constrained device may
 * serve few associations.
 */
export async function probeDtls(net: GuardedNetwork, probe: DtlsProbe): Promise<DtlsObservation | DtlsProbeError> {
  const started = Date.now();
  const tally: DatagramTally = { sent: 0 };
  const endpoint: DtlsEndpoint = { host: probe.host, port: probe.port, timeoutMs: probe.timeoutMs, signal: probe.signal, tally };
  const seen: Sightings = { answered: false, firstCookie: null, serverHelloCookie: null, certificates: null, certificateMessage: null };
  const failed = (failure: DtlsProbeError['failure'], detail: string): DtlsProbeError => ({
    outcome: 'error',
    host: probe.host,
    port: probe.port,
    failure,
    detail,
    datagrams: tally.sent,
  });

  const hello = async (version: DtlsVersion, suites: readonly number[]): Promise<HelloAnswer> => {
    const answer = await dtlsHandshake(net, endpoint, { version, cipherSuites: suites, serverName: probe.serverName ?? null });
    probe.onAttempt?.(describeAttempt(version, suites, answer));
    if (answer.kind === 'not-dtls') {
      throw new NotDtlsError(`answered a DTLS ClientHello with ${answer.received.length} bytes that are not DTLS records: ${hexExcerpt(answer.received)}`);
    }
    if (answer.cookie) {
      seen.answered = true;
      seen.firstCookie ??= answer.cookie;
    }
    if (answer.kind === 'silent') {
      if (!seen.answered) throw new UnansweredError(answer.detail);
      return { outcome: 'refused', detail: answer.detail };
    }
    if (answer.kind === 'alert') return { outcome: 'refused', detail: answer.alert.name };
    seen.serverHelloCookie ??= answer.cookie;
    if (answer.serverHello.version !== version) return { outcome: 'refused', detail: `answered ${answer.serverHello.version ?? 'an unknown version'}` };
    if (answer.certificates?.length) seen.certificates ??= answer.certificates;
    const suite = cipherSuiteName(answer.serverHello.cipherSuite);
    if (authenticatesWithCertificate(suite)) {
      // The flight may have been cut short, so a missing Certificate message is not read as absent.
      const content = answer.certificates === null ? 'incomplete' : answer.certificates.length > 0 ? 'chain' : 'empty';
      seen.certificateMessage ??= { version, suite, content, detail: content === 'incomplete' ? 'no Certificate message in the flight' : null };
    }
    return { outcome: 'chose', suite: answer.serverHello.cipherSuite };
  };

  const chainOf = (certificates: Buffer[] | null) =>
    certificates?.length
      ? readCertificateChain(certificates, { host: probe.serverName ?? probe.host, now: probe.now, trustAnchors: probe.trustAnchors, orderVisible: true })
      : { certificateChain: null, certificateError: null };

  const readCertificateOfKind = async (version: DtlsVersion, suites: readonly number[]): Promise<Omit<KindCertificateObservation, 'kind'>> => {
    const answer = await dtlsHandshake(net, endpoint, { version, cipherSuites: suites, serverName: probe.serverName ?? null });
    probe.onAttempt?.(describeAttempt(version, suites, answer));
    if (answer.kind !== 'server-hello') {
      const detail = answer.kind === 'alert' ? `alert ${answer.alert.name}` : answer.kind === 'silent' ? answer.detail : 'answered with bytes that are not DTLS records';
      return { certificateChain: null, certificateError: null, certificateMessage: { version, suite: null, content: 'incomplete', detail } };
    }
    const content = answer.certificates === null ? 'incomplete' : answer.certificates.length > 0 ? 'chain' : 'empty';
    const detail = content === 'incomplete' ? 'no Certificate message in the flight' : null;
    return { ...chainOf(answer.certificates), certificateMessage: { version, suite: cipherSuiteName(answer.serverHello.cipherSuite), content, detail } };
  };

  try {
    const found = new Map<DtlsVersion, VersionObservation<DtlsVersion>>();
    for (const version of PROBE_ORDER) found.set(version, await probeVersion(version, hello));
    if (!seen.answered) {
      return failed('silent', `no answer on ${probe.host}:${probe.port}/udp to a DTLS 1.2 or 1.0 ClientHello, each sent twice, ${probe.timeoutMs} ms apart`);
    }
    const cookie = seen.serverHelloCookie ?? seen.firstCookie!;
    const highest = PROBE_ORDER.map((v) => found.get(v)!).find((v) => v.offered);
    const suiteShown = seen.certificateMessage?.suite ?? null;
    const otherCertificates: KindCertificateObservation[] = [];
    // One hello per other kind of certificate suite, one at a time like the rest: a second certificate is never shown otherwise.
    for (const { kind, suites } of otherCertificateKinds(highest?.cipherSuites ?? [], suiteShown && certificateKind(suiteShown))) {
      otherCertificates.push({ kind, ...(await readCertificateOfKind(highest!.version, suites)) });
    }
    return {
      outcome: 'observed',
      host: probe.host,
      port: probe.port,
      versions: DTLS_VERSIONS.map((v) => found.get(v)!),
      helloVerifyRequest: { sent: cookie.sent, cookieBytes: cookie.cookieBytes },
      ...chainOf(seen.certificates),
      certificateMessage: seen.certificateMessage,
      otherCertificates,
      datagrams: tally.sent,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    if (err instanceof NotDtlsError) return failed('not-dtls', err.message);
    if (err instanceof TlsParseError || err instanceof ChoiceNotOfferedError) return failed('protocol', err.message);
    if (err instanceof NetError) return failed(err.failure, err.message);
    throw err;
  }
}

type Hello = (version: DtlsVersion, suites: readonly number[]) => Promise<HelloAnswer>;

async function probeVersion(version: DtlsVersion, hello: Hello): Promise<VersionObservation<DtlsVersion>> {
  try {
    const { accepted, order } = await enumerateSuites((suites) => hello(version, suites), DTLS_CANDIDATE_SUITES);
    return { version, offered: accepted.length > 0, cipherSuites: accepted.map((code) => ({ code, name: cipherSuiteName(code) })), order };
  } catch (err) {
    if (err instanceof UnansweredError) return { version, offered: false, cipherSuites: [], order: 'unknown' };
    throw err;
  }
}

/**
 * An unreadable chain leaves the versions and suites standing; the observation then has no chain.
 * The TLS probe's chain analysis judges host, dates and trust the same way for DTLS.
 */
function hexExcerpt(bytes: Buffer): string {
  const shown = bytes.subarray(0, 32).toString('hex');
  return bytes.length > 32 ? `${shown}…` : shown;
}

function describeAttempt(version: DtlsVersion, suites: readonly number[], answer: DtlsAnswer): string {
  const asked = `${version} ClientHello with ${suites.length} suite${suites.length === 1 ? '' : 's'}`;
  if (answer.kind === 'not-dtls') return `${asked} → not DTLS: ${hexExcerpt(answer.received)}`;
  const cookie = answer.cookie?.sent ? ` → HelloVerifyRequest (cookie ${answer.cookie.cookieBytes} bytes) → ClientHello with cookie` : '';
  if (answer.kind === 'silent') return `${asked}${cookie} → no answer (${answer.detail})`;
  if (answer.kind === 'alert') return `${asked}${cookie} → alert ${answer.alert.name}`;
  const chosen = versionName(answer.serverHello.versionCode) ?? `0x${answer.serverHello.versionCode.toString(16)}`;
  const certificates = answer.certificates ? `, Certificate (${answer.certificates.length})` : '';
  return `${asked}${cookie} → ServerHello ${chosen} ${cipherSuiteName(answer.serverHello.cipherSuite)}${certificates}`;
}
