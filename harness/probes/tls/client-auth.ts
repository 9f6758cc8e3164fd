import type { SecureVersion, TLSSocket } from 'node:tls';
import type { ClientCertificate, GuardedNetwork, TlsPin } from '../../net/network.js';
import { classifyNetError, type NetFailure } from '../../net/errors.js';
import { sightCertificateRequest } from './certificate-request.js';
import { CIPHER_SUITES } from './cipher-suites.js';
import { parseAlert } from './server-messages.js';

export interface TlsClientAuthProbe {
  host: string;
  port: number;
  serverName?: string;
  /** For the handshake, and again for the wait after it in which a TLS 1.3 server refuses the empty certificate. */
  timeoutMs: number;
  signal: AbortSignal;
}

/** A TLS alert as the evidence names it. */
export interface TlsAlertSeen {
  description: number;
  name: string;
}

export type TlsClientAuthObservation =
  /** The server refused the handshake because no client certificate came. */
  | { outcome: 'required'; version: string | null; alert: TlsAlertSeen | null; detail: string; latencyMs: number }
  /** The handshake completed without a client certificate and the session stayed up. */
  | { outcome: 'not-required'; version: string; detail: string; latencyMs: number }
  /** Neither could be shown: no TLS, a failure unrelated to certificates, a closed port. */
  | { outcome: 'unknown'; failure: NetFailure | 'tls'; detail: string; latencyMs: number };

/** What a server did with a client certificate it was handed. */
export type TlsClientCertificateObservation =
  | { outcome: 'accepted'; version: string; detail: string }
  | { outcome: 'refused'; alert: TlsAlertSeen | null; detail: string }
  | { outcome: 'unknown'; detail: string };

/** Alerts a server sends when the client certificate it asked for is missing (RFC 8446 §6.2, RFC 5246 §7.4.6). */
const CERTIFICATE_ALERTS: Record<number, string> = { 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate', 116: 'certificate_required' };
const CERTIFICATE_REQUIRED = 116;
/** Alerts a server sends for a client certificate it will not trust (RFC 5246 §7.2.2, RFC 8446 §6.2). */
const UNTRUSTED_CERTIFICATE_ALERTS: Record<number, string> = {
  ...CERTIFICATE_ALERTS,
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  48: 'unknown_ca',
  49: 'access_denied',
  51: 'decrypt_error',
};
/** How long the session is watched after the handshake: a TLS 1.3 server refuses only once it reads the client's Finished. */
const SETTLE_MS = 1000;
const NODE_VERSIONS: Record<string, SecureVersion> = { 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2' };

function alertOf(err: Error): TlsAlertSeen | null {
  const match = /SSL alert number (\d+)/.exec(err.message);
  if (!match) return null;
  const description = Number(match[1]);
  return { description, name: UNTRUSTED_CERTIFICATE_ALERTS[description] ?? parseAlert(Buffer.from([2, description])).name };
}

interface HandshakeEnd {
  secured: string | null;
  error: Error | null;
  closed: boolean;
  timedOut: boolean;
  /** The client derived its keys, so it had sent its whole flight, Certificate included (TLS 1.2). */
  keyed: boolean;
}

/** The server hung up on the client's flight (Node reports a reset before secureConnect as an error). */
function hungUpAfterFlight(ended: HandshakeEnd): boolean {
  if (!ended.keyed || ended.secured) return false;
  if (!ended.error) return ended.closed;
  return !alertOf(ended.error) && ['reset', 'closed'].includes(classifyNetError(ended.error).failure);
}

/** One Node TLS handshake, watched to its end or to SETTLE_MS after it; null when no TCP connection was made. */
async function handshake(
  net: GuardedNetwork,
  probe: TlsClientAuthProbe,
  extra: { pin?: TlsPin; clientCertificate?: ClientCertificate },
): Promise<HandshakeEnd | { failure: NetFailure; detail: string }> {
  let socket: TLSSocket;
  try {
    socket = (await net.connectStream(probe.host, probe.port, { tls: true, serverName: probe.serverName, signal: probe.signal, timeoutMs: probe.timeoutMs, ...extra })) as TLSSocket;
  } catch (err) {
    const e = classifyNetError(err);
    return { failure: e.failure, detail: e.message };
  }
  return new Promise<HandshakeEnd>((resolve) => {
    let secured: string | null = null;
    let keyed = false;
    let timer = setTimeout(() => settle(null, false, true), probe.timeoutMs);
    const settle = (error: Error | null, closed: boolean, timedOut = false) => {
      clearTimeout(timer);
      probe.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('secureConnect');
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      socket.removeAllListeners('keylog');
      socket.on('error', () => {});
      socket.destroy();
      resolve({ secured, error, closed, timedOut, keyed });
    };
    const onAbort = () => settle(new Error('aborted'), false);
    probe.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('keylog', () => {
      keyed = true;
    });
    socket.once('secureConnect', () => {
      secured = socket.getProtocol() ?? 'TLS';
      clearTimeout(timer);
      // TLS 1.2 has judged the client's certificate before its Finished; TLS 1.3 only after ours.
      if (secured !== 'TLSv1.3') return settle(null, false);
      timer = setTimeout(() => settle(null, false), Math.min(SETTLE_MS, probe.timeoutMs));
    });
    // A TLS 1.3 server issues tickets once it has accepted the client's Finished, certificate included.
    socket.once('session', () => {
      if (secured) settle(null, false);
    });
    socket.on('error', (err) => settle(err, false));
    socket.on('close', () => settle(null, true));
    // Read, so that an alert after the handshake surfaces as an error.
    socket.on('data', () => {});
  });
}

/**
 * A TLS handshake through `net` without a client certificate, and whether the server demands one:
 * TLS 1.3 alert 116 certificate_required (or a certificate alert once the handshake is done), or in
 * TLS 1.2 a CertificateRequest, seen in the clear in a hand-built hello, and then a handshake pinned
 * to the version and suite that hello's ServerHello chose, refused with a certificate alert or closed
 * right after the client's empty Certificate. Observation only: nothing is sent after the handshake.
 */
export async function probeTlsClientAuth(net: GuardedNetwork, probe: TlsClientAuthProbe): Promise<TlsClientAuthObservation> {
  const started = Date.now();
  const latency = () => Date.now() - started;
  const ended = await handshake(net, probe, {});
  if ('failure' in ended) return { outcome: 'unknown', failure: ended.failure, detail: ended.detail, latencyMs: latency() };
  const { secured, error, closed, timedOut } = ended;
  const alert = error ? alertOf(error) : null;
  if (error?.message === 'aborted') return { outcome: 'unknown', failure: 'aborted', detail: 'aborted', latencyMs: latency() };
  if (alert?.description === CERTIFICATE_REQUIRED) {
    return { outcome: 'required', version: secured, alert, detail: `alert ${alert.description} ${alert.name}`, latencyMs: latency() };
  }
  if (secured && !error && !closed) {
    return { outcome: 'not-required', version: secured, detail: `${secured} handshake completed without a client certificate, and the server kept the session`, latencyMs: latency() };
  }
  if (secured === 'TLSv1.3' && alert && CERTIFICATE_ALERTS[alert.description]) {
    // In TLS 1.3 the server has already answered; an alert now is about the client's (empty) certificate.
    return { outcome: 'required', version: secured, alert, detail: `alert ${alert.description} ${alert.name} once the TLS 1.3 handshake was done`, latencyMs: latency() };
  }
  const refused = alert ? `alert ${alert.description} ${alert.name}` : closed ? 'the connection closed' : null;
  if (!secured && refused && (!alert || CERTIFICATE_ALERTS[alert.description])) {
    const sighting = await sightCertificateRequest(net, { host: probe.host, port: probe.port, timeoutMs: probe.timeoutMs, signal: probe.signal });
    if (sighting.outcome !== 'asked') {
      const why = sighting.outcome === 'unknown' ? sighting.detail : 'a TLS 1.2 hello drew no CertificateRequest';
      return { outcome: 'unknown', failure: 'tls', detail: `${refused} during the handshake, but ${why}`, latencyMs: latency() };
    }
    return { ...(await pinnedDemand(net, probe, sighting.version, sighting.cipherSuite, refused)), latencyMs: latency() };
  }
  if (timedOut) return { outcome: 'unknown', failure: 'timeout', detail: `no TLS handshake within ${probe.timeoutMs} ms`, latencyMs: latency() };
  const detail = error ? (alert ? `alert ${alert.description} ${alert.name}` : classifyNetError(error).message) : 'the connection closed';
  return { outcome: 'unknown', failure: 'tls', detail, latencyMs: latency() };
}

type Untimed<T> = T extends unknown ? Omit<T, 'latencyMs'> : never;

/**
 * The first handshake failed and a TLS 1.2 hello drew a CertificateRequest. Whether the failure was
 * about the certificate shows only in one handshake on the version and suite that server chose itself.
 */
async function pinnedDemand(net: GuardedNetwork, probe: TlsClientAuthProbe, versionName: string | null, cipherSuite: number, refused: string): Promise<Untimed<TlsClientAuthObservation>> {
  const suite = CIPHER_SUITES.get(cipherSuite);
  const version = versionName ? NODE_VERSIONS[versionName] : undefined;
  const unknown = (why: string) => ({ outcome: 'unknown' as const, failure: 'tls' as const, detail: `${refused} during the handshake, and a TLS hello drew a CertificateRequest, but ${why}` });
  if (!suite || !version) return unknown(`its ServerHello chose ${versionName ?? 'an unknown version'} and suite 0x${cipherSuite.toString(16).padStart(4, '0')}, which Node cannot be pinned to`);
  const chosen = `${versionName}, ${suite}`;
  const ended = await handshake(net, probe, { pin: { version, suite } });
  if ('failure' in ended) return unknown(`the handshake pinned to ${chosen} failed: ${ended.detail}`);
  const alert = ended.error ? alertOf(ended.error) : null;
  if (ended.secured && !ended.error && !ended.closed) {
    return { outcome: 'not-required', version: ended.secured, detail: `a ${chosen} handshake completed without a client certificate, and the server kept the session` };
  }
  if (ended.keyed && alert && CERTIFICATE_ALERTS[alert.description]) {
    return { outcome: 'required', version: versionName, alert, detail: `alert ${alert.description} ${alert.name} after a CertificateRequest and an empty Certificate (${chosen})` };
  }
  if (hungUpAfterFlight(ended)) {
    return { outcome: 'required', version: versionName, alert: null, detail: `the connection closed right after an empty Certificate answered a CertificateRequest (${chosen})` };
  }
  const why = ended.timedOut ? `no answer within ${probe.timeoutMs} ms` : ended.error ? (alert ? `alert ${alert.description} ${alert.name}` : classifyNetError(ended.error).message) : 'the connection closed';
  return unknown(`the handshake pinned to ${chosen} ended otherwise: ${why}${ended.keyed ? '' : ', before the client sent its Certificate'}`);
}

/**
 * A TLS handshake that presents `clientCertificate` when asked: whether the server accepted it (the
 * handshake completed and the session stayed up) or refused it. A demand for a certificate means
 * something only if a certificate nobody issued is refused as well.
 */
export async function probeTlsClientCertificate(net: GuardedNetwork, probe: TlsClientAuthProbe & { clientCertificate: ClientCertificate }): Promise<TlsClientCertificateObservation> {
  const ended = await handshake(net, probe, { clientCertificate: probe.clientCertificate });
  if ('failure' in ended) return { outcome: 'unknown', detail: ended.detail };
  const alert = ended.error ? alertOf(ended.error) : null;
  if (ended.secured && !ended.error && !ended.closed) return { outcome: 'accepted', version: ended.secured, detail: `${ended.secured} handshake completed with the certificate, and the server kept the session` };
  if (alert && UNTRUSTED_CERTIFICATE_ALERTS[alert.description]) return { outcome: 'refused', alert, detail: `alert ${alert.description} ${alert.name}` };
  if (hungUpAfterFlight(ended) || (ended.secured === 'TLSv1.3' && ended.closed && !ended.error)) {
    // A TLS 1.3 server judges the certificate after its own Finished: it hangs up on a session the client thought set up.
    return { outcome: 'refused', alert: null, detail: 'the connection closed once the certificate was sent' };
  }
  if (ended.timedOut) return { outcome: 'unknown', detail: `no TLS handshake within ${probe.timeoutMs} ms` };
  return { outcome: 'unknown', detail: ended.error ? (alert ? `alert ${alert.description} ${alert.name}` : classifyNetError(ended.error).message) : 'the connection closed' };
}
