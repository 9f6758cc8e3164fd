import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { judgeKeyLayer, type PasswordStakes } from './key-layer.js';

const BRUTE_FORCE: PasswordStakes = { noPassword: 'no password can be tried', passwordTrial: 'run the brute-force test', verdict: pass, quotePskRefusal: true };

/**
 * S1.1-04 where the only login is a key: PASS with the refused attempt or the required key as
 * evidence (nothing a guess could find), or NOT_APPLICABLE where jcstar cannot reach the key layer.
 * Null when a password login remains, and the brute-force burst runs.
 */
export function keyLoginBruteForce(ctx: CheckContext, service: Service): Promise<CheckOutcome | null> {
  return judgeKeyLayer(ctx, service, BRUTE_FORCE);
}
