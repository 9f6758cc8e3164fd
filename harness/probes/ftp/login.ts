import type { Socket } from 'node:net';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { exchangeDeadline } from '../telnet/deadline.js';
import { FtpControl, type TimedReply } from './control.js';

export interface FtpLoginProbe {
  host: string;
  port: number;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

/** 421 is also "idle timeout" or "shutting down"; only this wording makes it a lockout. */
const LOCKOUT_WORDING = /too many|try (?:again )?later/i;

type Verdict = Pick<AuthObservation, 'outcome' | 'detail' | 'failure' | 'lockoutSignal'>;

function finalLine(reply: TimedReply): string {
  return reply.lines.at(-1)!;
}

/** What a reply to USER or PASS (or a greeting that is not 220) says about the login. */
function judge(reply: TimedReply, after: 'greeting' | 'USER' | 'PASS'): Verdict {
  const line = finalLine(reply);
  if (reply.code === 421 && reply.lines.some((l) => LOCKOUT_WORDING.test(l))) return { outcome: 'locked', detail: line, lockoutSignal: line };
  if (after !== 'greeting' && (reply.code === 230 || (after === 'PASS' && reply.code === 202))) {
    return { outcome: 'accepted', detail: after === 'USER' ? `${line} (no password asked)` : line };
  }
  if (after !== 'greeting' && reply.code === 530) return { outcome: 'rejected', detail: after === 'USER' ? `${line} (username refused)` : line };
  return { outcome: 'error', failure: 'protocol', detail: `unexpected reply to ${after}: ${line}` };
}

/**
 * One plain-FTP login: greeting, USER, PASS, judged by reply codes (230 accepted, 530 rejected, 421
 * "too many"/"try later" locked, anything else an error), then QUIT. A server that answers USER with
 * 230 or 530 decides there, and never sees the password.
 */
export async function probeFtpLogin(net: GuardedNetwork, probe: FtpLoginProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const { username, password } = probe.credential;
  const refuse = (e: NetError): AuthObservation => ({ outcome: 'error', failure: e.failure, detail: e.message, latencyMs: elapsed(started), sent: '', received: '' });
  if (/[\r\n]/.test(username + password.reveal())) return refuse(new NetError('protocol', 'an FTP command cannot carry a line break'));

  let socket: Socket;
  try {
    socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    return refuse(classifyNetError(err));
  }
  const control = new FtpControl(socket);
  const deadline = exchangeDeadline(probe.signal, probe.timeoutMs);
  let awaiting = 'greeting';
  try {
    let verdict: Verdict;
    let reply = await control.greeting(deadline.signal);
    if (reply.code !== 220) {
      verdict = judge(reply, 'greeting');
    } else {
      control.send(`USER ${username}`, `USER ${username}`);
      awaiting = 'reply to USER';
      reply = await control.next(deadline.signal);
      if (reply.code !== 331) {
        verdict = judge(reply, 'USER');
      } else {
        control.send(`PASS ${password.reveal()}`, `PASS ${password}`);
        awaiting = 'reply to PASS';
        reply = await control.next(deadline.signal);
        verdict = judge(reply, 'PASS');
      }
    }
    const latencyMs = Number((reply.at - started) / 1000n) / 1000;
    // 421 means the server is closing the connection already.
    if (reply.code !== 421) await control.quit(deadline.signal);
    return { ...verdict, latencyMs, sent: control.sent, received: control.received, rawReceived: control.rawReceived };
  } catch (err) {
    const e = classifyNetError(err);
    const detail = e.failure === 'timeout' ? `no ${awaiting} within ${probe.timeoutMs} ms`
      : e.failure === 'closed' ? `connection closed while waiting for the ${awaiting}`
      : e.message;
    return { outcome: 'error', failure: e.failure, detail, latencyMs: elapsed(started), sent: control.sent, received: control.received, rawReceived: control.rawReceived };
  } finally {
    deadline.dispose();
    control.close();
  }
}
