import type { TLSSocket } from 'node:tls';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError, type NetFailure } from '../../net/errors.js';
import { sightCertificateRequest } from './certificate-request.js';
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

/** Alerts a server sends when the client certificate it asked for is missing (RFC 8446 §6.2, RFC 5246 §7.4.6). */
const CERTIFICATE_ALERTS: Record<number, string> = { 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate', 116: 'certificate_required' };
const CERTIFICATE_REQUIRED = 116;
/** How long the session is watched after the handshake: a TLS 1.3 server refuses only once it reads the client's Finished. */
const SETTLE_MS = 1000;

function alertOf(err: Error): TlsAlertSeen | null {
  const match = /SSL alert number (\d+)/.exec(err.message);
  if (!match) return null;
  const description = Number(match[1]);
  return { description, name: CERTIFICATE_ALERTS[description] ?? parseAlert(Buffer.from([2, description])).name };
}

/**
 * A TLS handshake through `net` without a client certificate, and whether the server demands one:
 * TLS 1.3 alert 116 certificate_required (or a certificate alert once the handshake is done), or in
 * TLS 1.2 a handshake_failure/bad_certificate/closed connection after a CertificateRequest, which a
 * second, hand-built TLS 1.2 hello shows in the clear. Observation only: nothing is sent after the handshake.
 */
export async function probeTlsClientAuth(net: GuardedNetwork, probe: TlsClientAuthProbe): Promise<TlsClientAuthObservation> {
  const started = Date.now();
  const latency = () => Date.now() - started;
  let socket: TLSSocket;
  try {
    socket = (await net.connectStream(probe.host, probe.port, { tls: true, serverName: probe.serverName, signal: probe.signal, timeoutMs: probe.timeoutMs })) as TLSSocket;
  } catch (err) {
    const e = classifyNetError(err);
    return { outcome: 'unknown', failure: e.failure, detail: e.message, latencyMs: latency() };
  }
  const ended = await new Promise<{ secured: string | null; error: Error | null; closed: boolean; timedOut: boolean }>((resolve) => {
    let secured: string | null = null;
    let timer = setTimeout(() => settle(null, false, true), probe.timeoutMs);
    const settle = (error: Error | null, closed: boolean, timedOut = false) => {
      clearTimeout(timer);
      probe.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('secureConnect');
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      socket.on('error', () => {});
      socket.destroy();
      resolve({ secured, error, closed, timedOut });
    };
    const onAbort = () => settle(new Error('aborted'), false);
    probe.signal.addEventListener('abort', onAbort, { once: true });
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
    if (sighting.outcome === 'asked') {
      return { outcome: 'required', version: 'TLSv1.2', alert, detail: `${refused} after a CertificateRequest (TLS 1.2)`, latencyMs: latency() };
    }
    const why = sighting.outcome === 'unknown' ? sighting.detail : 'a TLS 1.2 hello drew no CertificateRequest';
    return { outcome: 'unknown', failure: 'tls', detail: `${refused} during the handshake, but ${why}`, latencyMs: latency() };
  }
  if (timedOut) return { outcome: 'unknown', failure: 'timeout', detail: `no TLS handshake within ${probe.timeoutMs} ms`, latencyMs: latency() };
  const detail = error ? (alert ? `alert ${alert.description} ${alert.name}` : classifyNetError(error).message) : 'the connection closed';
  return { outcome: 'unknown', failure: 'tls', detail, latencyMs: latency() };
}
