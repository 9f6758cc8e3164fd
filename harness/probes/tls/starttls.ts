import type { Socket } from 'node:net';
import { NetError } from '../../net/errors.js';
import { FtpControl } from '../ftp/control.js';
import { replyText } from '../ftp/replies.js';
import { exchangeDeadline } from '../telnet/deadline.js';

/** The server answered the upgrade with a readable refusal (FTP 4xx/5xx): a fact, unlike a reply jcstar could not read. */
export class StartTlsRefused extends NetError {
  constructor(message: string) {
    super('protocol', message);
    this.name = 'StartTlsRefused';
  }
}

/** Upgrades of a plaintext connection to TLS, for the protocols where an IoT device offers one. */
export type StartTls = (socket: Socket, timeoutMs: number, signal: AbortSignal) => Promise<void>;

/**
 * FTP AUTH TLS (RFC 4217 §4): the greeting, then AUTH TLS answered with 234. The control connection
 * lets go of the socket at the 234, so no TLS byte is ever read as FTP.
 */
export const ftpAuthTls: StartTls = async (socket, timeoutMs, signal) => {
  const control = new FtpControl(socket);
  const deadline = exchangeDeadline(signal, timeoutMs);
  try {
    const greeting = await control.greeting(deadline.signal);
    if (greeting.code !== 220) throw new NetError('protocol', `FTP greeting ${greeting.code}, not 220`);
    control.send('AUTH TLS', 'AUTH TLS');
    const reply = await control.next(deadline.signal);
    if (reply.code >= 400 && reply.code < 600) throw new StartTlsRefused(`the FTP server refused AUTH TLS: ${replyText(reply).slice(0, 120)}`);
    if (reply.code !== 234) throw new NetError('protocol', `the FTP server answered AUTH TLS with ${replyText(reply).slice(0, 120)}, neither 234 nor a refusal`);
  } finally {
    deadline.dispose();
    control.release();
  }
};
