import type { RuleId } from './schema.js';

/**
 * One thing about a server that the crypto rules judge, named the way a report reads it ("accepts
 * TLSv1.0 (…)", "kex diffie-hellman-group1-sha1 (…)"). `fail` fails the check; `warn` is named in a PASS;
 * `review` needs a human (MANUAL); `unread` is a fact the rules need that jcstar could not establish
 * (INCONCLUSIVE).
 */
export interface CryptoFinding {
  /**
   * The rule concerned. Four are fixed: certificate.validity (expired or not yet valid always fails),
   * certificate.readable (a certificate jcstar could not parse), certificate.sent (a certificate-based
   * suite without a certificate) and ssh.hostKeySizes (a host key whose size was not read).
   */
  rule: RuleId | 'certificate.validity' | 'certificate.readable' | 'certificate.sent' | 'ssh.hostKeySizes';
  item: string;
  /**
   * What item names without the rule's reason ("accepts TLSv1.0", "kex diffie-hellman-group1-sha1"), where
   * item carries one: rewording a rule or judging under other rules leaves it unchanged, so runs compare on it.
   */
  subject?: string;
  severity: 'fail' | 'warn' | 'review' | 'unread';
}

export const offending = (rule: CryptoFinding['rule'], item: string): CryptoFinding => ({ rule, item, severity: 'fail' });
export const unread = (rule: CryptoFinding['rule'], item: string): CryptoFinding => ({ rule, item, severity: 'unread' });
