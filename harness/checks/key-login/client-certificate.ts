import type { ClientCertificate } from '../../net/network.js';
import { probeTlsClientAuth, type TlsClientAuthObservation } from '../../probes/tls/client-auth.js';
import type { DeviceProfile, Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';

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
}

/**
 * A TLS handshake without a client certificate. Its evidence is recorded when it shows something
 * either way about client certificates; an unrelated failure is left for the service's own check.
 */
export async function observeClientCertificateDemand(ctx: CheckContext, service: Service): Promise<ClientCertificateDemand> {
  const observation = await probeTlsClientAuth(ctx.net, { host: ctx.profile.target.address, port: service.port, timeoutMs: ctx.policy.budgets.replyTimeoutMs, signal: ctx.signal });
  if (observation.outcome !== 'required') return { observation, seq: null };
  const seq = ctx.evidence.record({
    kind: 'observation',
    summary: `TLS handshake without a client certificate → refused: ${observation.detail}`,
    target: ctx.target,
    sent: 'TLS ClientHello; no client certificate (an empty Certificate if asked)',
    received: observation.alert ? `alert ${observation.alert.description} ${observation.alert.name}` : observation.detail,
    data: { outcome: observation.outcome, version: observation.version, alert: observation.alert, latencyMs: observation.latencyMs },
  }).seq;
  return { observation, seq };
}
