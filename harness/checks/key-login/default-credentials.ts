import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, notApplicable, type CheckOutcome } from '../../verdicts/outcome.js';
import { clientCertificateOf, DIRECT_TLS, judgeCertificateDemand, observeClientCertificateDemand } from './client-certificate.js';
import { describePskResult, doesNotCheckKeys, observeRandomPsk } from './dtls-psk.js';
import { isCoapsPsk, isKeyOnlyLogin, unprobedKeyLogin } from './mechanisms.js';
import { judgeSshLogin, observeSshLogin } from './ssh-methods.js';

/**
 * S1.1-02 where the login is a key, or a password only behind a key: NOT_APPLICABLE with what the
 * device showed, or null when a password login remains and the default-credential trials run (behind
 * mutual TLS with the credential's client certificate, when the profile gives one).
 */
export async function keyLoginDefaults(ctx: CheckContext, service: Service): Promise<CheckOutcome | null> {
  const keyOnly = isKeyOnlyLogin(service);
  if (service.protocol === 'ssh') {
    const login = await observeSshLogin(ctx, service, keyOnly);
    return judgeSshLogin(service, login, (methods, seq) => notApplicable(`${service.name}: no password login to hold a default: the server offers only ${methods.join(', ')} (evidence #${seq})`), 'try the default credentials');
  }
  if (isCoapsPsk(service)) {
    const negative = await observeRandomPsk(ctx, service);
    const r = negative.result;
    if (r.outcome === 'refused' && r.stage === 'finished') {
      return notApplicable(`${service.name}: no password login to hold a default: the login is a pre-shared key, and a handshake with an unknown identity and a random key was refused (evidence #${negative.seq})`);
    }
    if (r.outcome === 'completed' || r.outcome === 'went-past-unverified-finished') return inconclusive(doesNotCheckKeys(service, r, negative.seq));
    return inconclusive(`${service.name}: ${describePskResult(r)} (evidence #${negative.seq}); check the profile`);
  }
  if (DIRECT_TLS.has(service.protocol)) {
    // With the client certificate in hand, the password behind it is tried like any other.
    if (!keyOnly && clientCertificateOf(ctx.profile, service)) return null;
    const demand = await observeClientCertificateDemand(ctx, service);
    const hint = keyOnly ? '' : '; give the credential clientCertificate and clientKey to have the defaults tried behind mutual TLS';
    return judgeCertificateDemand(service, demand, keyOnly, (refusal) => notApplicable(`${service.name}: ${refusal}${hint}`));
  }
  return keyOnly ? notApplicable(unprobedKeyLogin(service)) : null;
}
