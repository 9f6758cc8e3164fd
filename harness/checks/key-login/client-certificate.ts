import type { ClientCertificate } from '../../net/network.js';
import { probeTlsClientAuth, probeTlsClientCertificate, type TlsClientAuthObservation, type TlsClientCertificateObservation } from '../../probes/tls/client-auth.js';
import type { DeviceProfile, Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { selfMadeClientCertificate } from './self-made-certificate.js';

/** Protocols that start TLS at once, where a handshake without a client certificate shows whether one is demanded. */
export const DIRECT_TLS = new Set(['https', 'mqtts', 'rtsps']);

/** The client certificate of the service's credential, for a login behind mutual TLS. */
export function clientCertificateOf(profile: DeviceProfile, service: Service): ClientCertificate | undefined {
  const credential = service.credential ? profile.credentials[service.credential] : undefined;
  return credential?.clientCertificate && credential.clientKey ? { certificate: credential.clientCertificate, key: credential.clientKey } : undefined;
}

export interface ClientCertificateDemand {
  observation: TlsClientAuthObservation;
  /** Evidence record of the refused handshake; null when nothing was decided and nothing recorded. */
  seq: number | null;
  /** After a demand: the handshake with a self-signed certificate nobody issued. */
  selfMade: { observation: TlsClientCertificateObservation; seq: number } | null;
}

/**
 * A TLS handshake without a client certificate and, when one is demanded, one with a self-signed
 * certificate, since demanding a certificate is not checking it. Evidence is recorded when the first
 * shows something either way about client certificates; an unrelated failure is left for the service's own check.
 */
export async function observeClientCertificateDemand(ctx: CheckContext, service: Service): Promise<ClientCertificateDemand> {
  const target = { host: ctx.profile.target.address, port: service.port, timeoutMs: ctx.policy.budgets.replyTimeoutMs, signal: ctx.signal };
  const observation = await probeTlsClientAuth(ctx.net, target);
  if (observation.outcome !== 'required') return { observation, seq: null, selfMade: null };
  const seq = ctx.evidence.record({
    kind: 'observation',
    summary: `TLS handshake without a client certificate → refused: ${observation.detail}`,
    target: ctx.target,
    sent: 'TLS ClientHello; no client certificate (an empty Certificate if asked)',
    received: observation.alert ? `alert ${observation.alert.description} ${observation.alert.name}` : observation.detail,
    data: { outcome: observation.outcome, version: observation.version, alert: observation.alert, latencyMs: observation.latencyMs },
  }).seq;
  const selfMade = await probeTlsClientCertificate(ctx.net, { ...target, clientCertificate: await selfMadeClientCertificate() });
  const selfMadeSeq = ctx.evidence.record({
    kind: 'observation',
    summary: `TLS handshake with a self-signed client certificate nobody issued → ${selfMade.outcome}: ${selfMade.detail}`,
    target: ctx.target,
    sent: 'TLS ClientHello; a fresh self-signed client certificate (RSA 2048, made for this check) when asked',
    received: selfMade.detail,
    data: { outcome: selfMade.outcome, ...(selfMade.outcome === 'refused' ? { alert: selfMade.alert } : {}) },
  }).seq;
  return { observation, seq, selfMade: { observation: selfMade, seq: selfMadeSeq } };
}

/** What the self-made certificate showed, as a verdict on the demand: it counts only if that certificate was refused too. */
export type DemandStanding = { kind: 'checked'; detail: string } | { kind: 'accepts-any'; detail: string } | { kind: 'unknown'; detail: string };

export function standingOf(demand: ClientCertificateDemand): DemandStanding {
  const trial = demand.selfMade!;
  const seen = `${trial.observation.detail}; evidence #${trial.seq}`;
  if (trial.observation.outcome === 'refused') return { kind: 'checked', detail: `a self-signed certificate nobody issued was refused too (${seen})` };
  if (trial.observation.outcome === 'accepted') return { kind: 'accepts-any', detail: `it accepted a self-signed client certificate nobody issued (${seen})` };
  return { kind: 'unknown', detail: `whether it checks a certificate could not be shown: a self-signed certificate got ${seen}` };
}

/**
 * The verdict a demanded client certificate gives a check that needs a password to try (S1.1-02, S1.1-04):
 * `noPassword` (given the refusal, in words) when the server demands a certificate and refuses a self-made
 * one too; INCONCLUSIVE when that could not be shown, or when a service declared key-only demands none;
 * null when a password login remains (no demand, or any certificate is taken), so that the check runs on it.
 */
export function judgeCertificateDemand(service: Service, demand: ClientCertificateDemand, keyOnly: boolean, noPassword: (refusal: string) => CheckOutcome): CheckOutcome | null {
  if (demand.observation.outcome === 'required') {
    const standing = standingOf(demand);
    // A device that takes any certificate leaves its password as open to guessing as without TLS.
    if (standing.kind === 'accepts-any' && !keyOnly) return null;
    if (standing.kind !== 'checked') return inconclusive(`${service.name}: the handshake without a client certificate was refused with ${demand.observation.detail} (evidence #${demand.seq}), but ${standing.detail}`);
    return noPassword(`no password can be tried without a client certificate: the handshake without one was refused with ${demand.observation.detail} (evidence #${demand.seq}); ${standing.detail}`);
  }
  if (keyOnly) return inconclusive(`${service.name} is declared auth: ${service.auth}, but ${demand.observation.detail}; declare the login it really uses`);
  return null;
}
