import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { DIRECT_TLS, observeClientCertificateDemand, standingOf } from './client-certificate.js';
import { describePskResult, observeDeclaredPsk, observeRandomPsk } from './dtls-psk.js';
import { isCoapsPsk } from './mechanisms.js';

/**
 * S1.1-01 where authentication sits below the application: a TLS server that refuses a handshake
 * without a client certificate, or a DTLS-PSK service, which must refuse an unknown identity with a
 * random key. Null when neither applies, and the service's own unauthenticated-access check runs.
 */
export async function keyLoginAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome | null> {
  if (isCoapsPsk(service)) return checkPskAccess(ctx, service);
  if (!DIRECT_TLS.has(service.protocol)) return null;
  const demand = await observeClientCertificateDemand(ctx, service);
  if (demand.observation.outcome !== 'required') return null;
  const demanded = `the anonymous handshake was refused with ${demand.observation.detail} (evidence #${demand.seq})`;
  const standing = standingOf(demand);
  if (standing.kind === 'accepts-any') return fail(`${service.name}: TLS demands a client certificate (${demanded}), but ${standing.detail}`);
  if (standing.kind === 'unknown') return inconclusive(`${service.name}: TLS demands a client certificate (${demanded}), but ${standing.detail}`);
  return pass(`${service.name}: TLS demands a client certificate: ${demanded}; ${standing.detail}`);
}

async function checkPskAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const negative = await observeRandomPsk(ctx, service);
  const refusal = negative.result;
  if (refusal.outcome === 'completed') {
    return fail(`${service.name}: a DTLS-PSK handshake with an unknown identity and a random key completed: ${describePskResult(refusal)} (evidence #${negative.seq})`);
  }
  if (refusal.outcome === 'went-past-unverified-finished') {
    return fail(`${service.name}: the server completed its side of the handshake for an unknown identity and a random key: ${describePskResult(refusal)} (evidence #${negative.seq})`);
  }
  if (refusal.outcome === 'error') return inconclusive(`${service.name}: no DTLS-PSK handshake could be made: ${refusal.detail} (evidence #${negative.seq})`);
  if (refusal.stage === 'hello') {
    return inconclusive(`${service.name} is declared auth: psk but ${refusal.detail} (evidence #${negative.seq}); check the profile`);
  }
  const refused = `a DTLS-PSK handshake with an unknown identity and a random key was refused after ${refusal.suite} was agreed (${refusal.detail}; evidence #${negative.seq})`;
  const credential = service.credential ? ctx.profile.credentials[service.credential] : undefined;
  if (!credential?.psk) {
    return pass(`${service.name}: ${refused}; the profile declares no psk for it, so the declared key was not tried`);
  }
  const positive = await observeDeclaredPsk(ctx, service, credential.psk);
  if (positive.result.outcome !== 'completed') {
    return inconclusive(`${service.name}: the declared psk of credential "${service.credential}" did not complete the handshake either (${describePskResult(positive.result)}; evidence #${positive.seq}): check the profile, since a service that refuses every key cannot be told from a secure one`);
  }
  return pass(`${service.name}: ${refused}; the declared psk completed it: ${describePskResult(positive.result)} (evidence #${positive.seq})`);
}
