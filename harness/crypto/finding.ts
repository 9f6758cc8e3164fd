import type { RuleId } from './schema.js';

/**
 * One thing a server offers that the crypto rules do not allow, named the way a report reads it
 * ("accepts TLSv1.0", "kex diffie-hellman-group1-sha1"). `review` findings need a human (MANUAL).
 */
export interface CryptoFinding {
  /**
   * The rule offended. Two are fixed: certificate.validity (expired or not yet valid always fails) and
   * certificate.readable (a certificate jcstar could not parse needs a person).
   */
  rule: RuleId | 'certificate.validity' | 'certificate.readable';
  item: string;
  severity: 'fail' | 'review';
}

export const offending = (rule: CryptoFinding['rule'], item: string): CryptoFinding => ({ rule, item, severity: 'fail' });
