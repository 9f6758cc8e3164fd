import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { notApplicable, type CheckOutcome } from '../../verdicts/outcome.js';
import { clientCertificateOf, DIRECT_TLS } from './client-certificate.js';
import { judgeKeyLayer, type PasswordStakes } from './key-layer.js';
import { isKeyOnlyLogin } from './mechanisms.js';

const DEFAULTS: PasswordStakes = {
  noPassword: 'no password login to hold a default',
  passwordTrial: 'try the default credentials',
  verdict: notApplicable,
  quotePskRefusal: false,
  certificateHint: '; give the credential clientCertificate and clientKey to have the defaults tried behind mutual TLS',
};

/**
 * S1.1-02 where the login is a key, or a password only behind a key: NOT_APPLICABLE with what the
 * device showed, or null when a password login remains and the default-credential trials run (behind
 * mutual TLS with the credential's client certificate, when the profile gives one).
 */
export async function keyLoginDefaults(ctx: CheckContext, service: Service): Promise<CheckOutcome | null> {
  // With the client certificate in hand, the password behind it is tried like any other.
  if (DIRECT_TLS.has(service.protocol) && !isKeyOnlyLogin(service) && clientCertificateOf(ctx.profile, service)) return null;
  return judgeKeyLayer(ctx, service, DEFAULTS);
}
