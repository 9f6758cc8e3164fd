import type { Socket } from 'node:net';
import { NetError } from '../../net/errors.js';
import { FtpReplyReader, replyText, type FtpReply } from '../ftp/replies.js';

/** Upgrades of a plaintext connection to TLS, for the protocols where an IoT device offers one. */
export type StartTls = (socket: Socket, timeoutMs: number) => Promise<void>;

/**
 * FTP AUTH TLS (RFC 4217 §4): the greeting, then AUTH TLS answered with 234. The reader stops at the
 * 234, so no TLS byte is ever read as FTP.
 */
export const ftpAuthTls: StartTls = async (socket, timeoutMs) => {
  const reader = new FtpReplyReader();
  const nextReply = () =>
    new Promise<FtpReply>((resolve, reject) => {
      const done = (err: Error | null, reply?: FtpReply) => {
        clearTimeout(timer);
        socket.removeListener('data', onData);
        socket.removeListener('close', onClose);
        if (err) reject(err);
        else resolve(reply!);
      };
      const onData = (chunk: Buffer) => {
        try {
          const [reply] = reader.push(chunk);
          if (reply) done(null, reply);
        } catch (err) {
          done(err as Error);
        }
      };
      const onClose = () => done(new NetError('closed', 'connection closed before an FTP reply'));
      const timer = setTimeout(() => done(new NetError('timeout', `no FTP reply within ${timeoutMs} ms`)), timeoutMs);
      socket.on('data', onData);
      socket.on('close', onClose);
    });
  const greeting = await nextReply();
  if (greeting.code !== 220) throw new NetError('protocol', `FTP greeting ${greeting.code}, not 220`);
  socket.write('AUTH TLS\r\n');
  const reply = await nextReply();
  if (reply.code !== 234) throw new NetError('protocol', `the FTP server refused AUTH TLS: ${replyText(reply).slice(0, 120)}`);
};
