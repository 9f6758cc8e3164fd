import { firstLine } from '../excerpt.js';
import type { Recogniser } from '../recogniser.js';
import { isSmtpGreeting } from './smtp.js';

const GREETING = /^220[ -]/;
/** vsftpd "(vsFTPd 3.0.3)", ProFTPD, Pure-FTPd, FileZilla: the software named in the greeting. */
const PRODUCT = /\((vsFTPd [\d.]+)\)|(ProFTPD [\d.]+\w*)|(Pure-FTPd)|(FileZilla Server[ \d.]*\w*)|(Microsoft FTP Service)/;

/** FTP greets first with 220 (RFC 959 §5.4); logging in always takes USER and PASS. */
export const ftp: Recogniser = {
  service: 'ftp',
  recognises: (reply) => GREETING.test(reply.toString('latin1')) && !isSmtpGreeting(reply),
  async describe(reply, s) {
    const m = PRODUCT.exec(reply.toString('latin1'));
    s.identity.service = 'ftp';
    s.identity.banner = firstLine(reply);
    s.identity.product = m?.slice(1).find((g) => g !== undefined)?.trim() ?? null;
    s.identity.auth = 'password';
    s.speaks('ftp', 'ftps');
  },
};
