import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, notApplicable, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { DIRECT_TLS, judgeCertificateDemand, observeClientCertificateDemand } from './client-certificate.js';
import { describePskResult, doesNotCheckKeys, observeDeclaredPsk, observeRandomPsk } from './dtls-psk.js';
import { isCoapsPsk, isKeyOnlyLogin, unprobedKeyLogin } from './mechanisms.js';
import { judgeSshLogin, observeSshLogin } from './ssh-methods.js';

/**
 * S1.1-04 where the only login is a key: PASS with the refused attempt or the required key as
 * evidence (nothing a guess could find), or NOT_APPLICABLE where jcstar cannot reach the key layer.
 * Null when a password login remains, and the brute-force burst runs.
 */
export async function keyLoginBruteForce(ctx: CheckContext, service: Service): Promise<CheckOutcome | null> {
  const keyOnly = isKeyOnlyLogin(service);
  if (service.protocol === 'ssh') {
    const login = await observeSshLogin(ctx, service, keyOnly);
    return judgeSshLogin(service, login, (methods, seq) => pass(`${service.name}: no password can be tried: the server offers only ${methods.join(', ')} (evidence #${seq})`), 'run the brute-force test');
  }
  if (isCoapsPsk(service)) {
    const negative = await observeRandomPsk(ctx, service);
    const r = negative.result;
    if (r.outcome === 'completed' || r.outcome === 'went-past-unverified-finished') return inconclusive(doesNotCheckKeys(service, r, negative.seq));
    if (r.outcome !== 'refused' || r.stage !== 'finished') return inconclusive(`${service.name}: ${describePskResult(r)} (evidence #${negative.seq}); check the profile`);
    const refused = `no password can be tried: the login is a pre-shared key, and a handshake with an unknown identity and a random key was refused (${r.detail}; evidence #${negative.seq})`;
    const psk = service.credential ? ctx.profile.credentials[service.credential]?.psk : undefined;
    if (!psk) return pass(`${service.name}: ${refused}; the profile declares no psk for it, so the declared key was not tried`);
    // A service that refuses every key cannot be told from one that checks them: the declared key must get through.
    const positive = await observeDeclaredPsk(ctx, service, psk);
    if (positive.result.outcome !== 'completed') {
      return inconclusive(`${service.name}: the declared psk of credential "${service.credential}" did not complete the handshake either (${describePskResult(positive.result)}; evidence #${positive.seq}): check the profile`);
    }
    return pass(`${service.name}: ${refused}; the declared psk completed it (evidence #${positive.seq})`);
  }
  if (DIRECT_TLS.has(service.protocol)) {
    const demand = await observeClientCertificateDemand(ctx, service);
    return judgeCertificateDemand(service, demand, keyOnly, (refusal) => pass(`${service.name}: ${refusal}`));
  }
  return keyOnly ? notApplicable(unprobedKeyLogin(service)) : null;
}
