import type { Socket } from 'node:net';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError, type NetFailure } from '../../net/errors.js';
import { FtpControl, type TimedReply } from './control.js';
import { exchangeDeadline } from '../telnet/deadline.js';

export interface FtpCommandProbe {
  host: string;
  port: number;
  /** Sent as is: it must carry no secret. */
  command: string;
  signal: AbortSignal;
  timeoutMs: number;
}

/** What one plaintext control connection showed: the greeting and the reply to one command. */
export interface FtpCommandReply {
  greeting: TimedReply | null;
  reply: TimedReply | null;
  error: { failure: NetFailure; detail: string } | null;
  sent: string;
  received: string;
}

/** 234: the server now expects a TLS handshake, not another plaintext command. */
const TLS_NEXT = 234;

/**
 * Greeting, one command, its reply and QUIT, on a fresh plaintext FTP control connection. No password is
 * ever sent: the caller judges the server by its reply alone.
 */
export async function ftpCommand(net: GuardedNetwork, probe: FtpCommandProbe): Promise<FtpCommandReply> {
  let socket: Socket;
  try {
    socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return { greeting: null, reply: null, error: { failure: e.failure, detail: e.message }, sent: '', received: '' };
  }
  const control = new FtpControl(socket);
  const deadline = exchangeDeadline(probe.signal, probe.timeoutMs);
  let greeting: TimedReply | null = null;
  let reply: TimedReply | null = null;
  try {
    greeting = await control.greeting(deadline.signal);
    if (greeting.code === 220) {
      control.send(probe.command, probe.command);
      reply = await control.next(deadline.signal);
      if (reply.code !== TLS_NEXT && reply.code !== 421) await control.quit(deadline.signal);
    }
    return { greeting, reply, error: null, sent: control.sent, received: control.received };
  } catch (err) {
    const e = classifyNetError(err);
    const awaiting = greeting ? `the reply to ${probe.command.split(' ')[0]}` : 'the greeting';
    const detail = e.failure === 'timeout' ? `no ${awaiting} within ${probe.timeoutMs} ms` : e.failure === 'closed' ? `connection closed while waiting for ${awaiting}` : e.message;
    return { greeting, reply, error: { failure: e.failure, detail }, sent: control.sent, received: control.received };
  } finally {
    deadline.dispose();
    control.close();
  }
}
