import { firstLine } from '../excerpt.js';
import type { Recogniser } from '../recogniser.js';

const SMTP_GREETING = /^220[ -][^\r\n]*\b(E?SMTP|Postfix|Exim|Sendmail|mail)/i;

export function isSmtpGreeting(reply: Buffer): boolean {
  return SMTP_GREETING.test(reply.toString('latin1'));
}

/** A mail server's 220 greeting (RFC 5321 §4.2) names the protocol; jcstar has no SMTP check. */
export const smtp: Recogniser = {
  service: 'smtp',
  recognises: isSmtpGreeting,
  async describe(reply, s) {
    s.identity.service = 'smtp';
    s.identity.banner = firstLine(reply);
    s.speaks(null, null);
  },
};
