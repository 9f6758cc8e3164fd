import type { Socket } from 'node:net';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { exchangeDeadline } from './deadline.js';
import { DEFAULT_PROMPTS, type TelnetPrompts } from './prompts.js';
import { lastLine, matchingLine } from './screen.js';
import { TelnetSession, type Decision } from './session.js';

export interface TelnetLoginProbe {
  host: string;
  port: number;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
  /** Device-specific wording; each one given replaces the default. */
  prompts?: Partial<TelnetPrompts>;
}

type Sign = 'locked' | 'rejected' | 'login' | 'password' | 'shell';

/**
 * Strongest first: a lockout message outranks the prompt that follows it, a prompt outranks a stray `$`.
 * A rejection stands once the next prompt is up or the device pauses: BusyBox login, for one, logs the
 * failure only after printing "Login incorrect", and hanging up at once can keep the attempt out of a
 * device's log and lockout count.
 */
function read(screen: string, prompts: TelnetPrompts, allowed: readonly Sign[]): Decision<Sign> | null {
  const says = (sign: 'locked' | 'rejected') => allowed.includes(sign) && matchingLine(screen, prompts[sign]) !== undefined;
  const prompting = prompts.login.test(screen) || prompts.password.test(screen);
  if (says('locked')) return { value: 'locked' };
  if (says('rejected')) return { value: 'rejected', tentative: !prompting };
  if (allowed.includes('login') && prompts.login.test(screen)) return { value: 'login' };
  if (allowed.includes('password') && prompts.password.test(screen)) return { value: 'password' };
  if (allowed.includes('shell') && prompts.shell.test(screen)) return { value: 'shell', tentative: true };
  return null;
}

/** Before anything is sent a banner may warn about lockouts; only its prompts count. */
const GREETING: readonly Sign[] = ['login', 'password', 'shell'];
const ANSWER: readonly Sign[] = ['locked', 'rejected', 'login', 'password', 'shell'];

/**
 * One telnet login: wait for the login prompt, send the username, wait for the password prompt, send
 * the password, then read the answer. A shell prompt is acceptance; a rejection message, or the login
 * or password prompt coming back, is rejection; a lockout message is a lockout. A device that asks
 * only for a password gets only the password; one that offers a shell straight away accepted nothing
 * and is reported as accepted "before login", which is what it did.
 */
export async function probeTelnetLogin(net: GuardedNetwork, probe: TelnetLoginProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const prompts = { ...DEFAULT_PROMPTS, ...probe.prompts };
  const { username, password } = probe.credential;
  const refuse = (e: NetError): AuthObservation => ({ outcome: 'error', failure: e.failure, detail: e.message, latencyMs: elapsed(started), sent: '', received: '' });
  if (/[\r\n]/.test(username + password.reveal())) return refuse(new NetError('protocol', 'a telnet login line cannot carry a line break'));

  let socket: Socket;
  try {
    socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    return refuse(classifyNetError(err));
  }
  const session = new TelnetSession(socket);
  const deadline = exchangeDeadline(probe.signal, probe.timeoutMs);
  const observe = (outcome: AuthObservation['outcome'], detail: string, at: bigint, extra: Partial<AuthObservation> = {}): AuthObservation => ({
    outcome,
    detail,
    latencyMs: Number((at - started) / 1000n) / 1000,
    sent: session.sent,
    received: session.received,
    rawReceived: session.rawReceived,
    ...extra,
  });
  let awaiting = 'login prompt';
  let step = 'before login';
  try {
    let sign = await session.until((s) => read(s, prompts, GREETING), deadline.signal);
    if (sign.value === 'login') {
      session.sendLine(username, username);
      awaiting = 'password prompt';
      step = 'after the username';
      sign = await session.until((s) => read(s, prompts, ANSWER), deadline.signal);
      if (sign.value === 'login') return observe('rejected', 'login prompt again after the username', sign.at);
    }
    if (sign.value === 'password') {
      session.sendLine(password.reveal(), String(password));
      awaiting = 'answer to the password';
      step = 'after the password';
      sign = await session.until((s) => read(s, prompts, ANSWER), deadline.signal);
    }
    const screen = session.screen;
    switch (sign.value) {
      case 'shell':
        return observe('accepted', `shell prompt "${lastLine(screen)}" ${step}`, sign.at);
      case 'locked': {
        const line = matchingLine(screen, prompts.locked)!;
        return observe('locked', line, sign.at, { lockoutSignal: line });
      }
      case 'rejected':
        return observe('rejected', matchingLine(screen, prompts.rejected)!, sign.at);
      default:
        return observe('rejected', `${sign.value} prompt again ${step}`, sign.at);
    }
  } catch (err) {
    const e = classifyNetError(err);
    const screen = session.screen;
    const locked = matchingLine(screen, prompts.locked);
    if (e.failure === 'closed' && locked) return observe('locked', `${locked} (then closed)`, process.hrtime.bigint(), { lockoutSignal: locked });
    const what = e.failure === 'timeout' ? `no ${awaiting} within ${probe.timeoutMs} ms`
      : e.failure === 'closed' ? `connection closed while waiting for the ${awaiting}`
      : e.message;
    return observe('error', `${what}; last text: ${JSON.stringify(lastLine(screen))}`, process.hrtime.bigint(), { failure: e.failure });
  } finally {
    deadline.dispose();
    session.close();
  }
}
