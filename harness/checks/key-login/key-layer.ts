import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, notApplicable, type CheckOutcome } from '../../verdicts/outcome.js';
import { DIRECT_TLS, observeClientCertificateDemand } from './client-certificate.js';
import { describePskResult, observeRandomPsk } from './dtls-psk.js';
import { isCoapsPsk, isKeyOnlyLogin, unprobedKeyLogin } from './mechanisms.js';
import { observeSshLogin } from './ssh-methods.js';

/** What a password requirement makes of a login that no password reaches. */
export interface PasswordStakes {
  /** The requirement's words for it, e.g. "no password can be tried". */
  noPassword: string;
  /** What a declared password credential would let jcstar do, e.g. "run the brute-force test". */
  passwordTrial: string;
  /** PASS where the refusal is the evidence (S1.1-04), NOT_APPLICABLE where it is the justification (S1.1-02). */
  verdict: (reason: string) => CheckOutcome;
  /** PASS quotes the DTLS-PSK refusal itself as its evidence; a justification only points at the evidence item. */
  quotePskRefusal: boolean;
  /** Appended where a client certificate stops a password that the profile could have reached behind it. */
  certificateHint?: string;
}

/**
 * A password requirement where the login is a key, or a password only behind a key: the verdict on
 * what the key layer showed, or null when a password login remains and the requirement's own trials run.
 */
export async function judgeKeyLayer(ctx: CheckContext, service: Service, stakes: PasswordStakes): Promise<CheckOutcome | null> {
  const keyOnly = isKeyOnlyLogin(service);
  if (service.protocol === 'ssh') {
    const login = await observeSshLogin(ctx, service, keyOnly);
    if (login.kind === 'key-only') return stakes.verdict(`${service.name}: ${stakes.noPassword}: the server offers only ${login.methods.join(', ')} (evidence #${login.seq})`);
    if (login.kind === 'password-offered') {
      return inconclusive(`${service.name} is declared publickey but the server offers ${login.methods.join(', ')} (evidence #${login.seq}); declare auth: password and a credential so that jcstar can ${stakes.passwordTrial}`);
    }
    if (login.kind === 'unread') return inconclusive(`${service.name}: the SSH methods could not be read: ${login.detail} (evidence #${login.seq})`);
    return null;
  }
  if (isCoapsPsk(service)) {
    const negative = await observeRandomPsk(ctx, service);
    const r = negative.result;
    if (r.outcome === 'refused' && r.stage === 'finished') {
      const refusal = stakes.quotePskRefusal ? `${r.detail}; ` : '';
      return stakes.verdict(`${service.name}: ${stakes.noPassword}: the login is a pre-shared key, and a handshake with an unknown identity and a random key was refused (${refusal}evidence #${negative.seq})`);
    }
    if (r.outcome === 'completed') return inconclusive(`${service.name} completed a DTLS-PSK handshake with a random key (evidence #${negative.seq}): it does not check keys, an S1.1-01 finding`);
    return inconclusive(`${service.name}: ${describePskResult(r)} (evidence #${negative.seq}); check the profile`);
  }
  if (DIRECT_TLS.has(service.protocol)) {
    const demand = await observeClientCertificateDemand(ctx, service);
    if (demand.observation.outcome === 'required') {
      const hint = keyOnly ? '' : (stakes.certificateHint ?? '');
      return stakes.verdict(`${service.name}: no password can be tried without a client certificate: the handshake without one was refused with ${demand.observation.detail} (evidence #${demand.seq})${hint}`);
    }
    if (keyOnly) return inconclusive(`${service.name} is declared auth: ${service.auth}, but ${demand.observation.detail}; declare the login it really uses`);
    return null;
  }
  return keyOnly ? notApplicable(unprobedKeyLogin(service)) : null;
}
