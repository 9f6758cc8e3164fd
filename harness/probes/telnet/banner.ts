import type { Socket } from 'node:net';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation } from '../auth-observation.js';
import { exchangeDeadline } from './deadline.js';
import { DEFAULT_PROMPTS, type TelnetPrompts } from './prompts.js';
import { TelnetSession } from './session.js';

export interface TelnetBannerProbe {
  host: string;
  port: number;
  signal: AbortSignal;
  /** How long to listen when no prompt settles the question. */
  timeoutMs: number;
  prompts?: Partial<TelnetPrompts>;
}

/** What a telnet service shows before anyone logs in. */
export interface TelnetBanner {
  outcome: 'banner';
  /** Visible text: no telnet commands, no terminal escapes. */
  text: string;
  /** A shell prompt came up and no login or password prompt did: the service hands out a shell to anyone. */
  shellWithoutLogin: boolean;
  /** Telnet commands the device sent: any at all shows it speaks Telnet, whatever its text. */
  commands: number;
  sent: string;
  received: string;
  rawReceived: Buffer;
  /** Until the prompt that decided arrived, or until listening ended. */
  latencyMs: number;
}

type Shown = 'login' | 'shell' | 'nothing';

/**
 * Connects, negotiates, sends nothing and listens: a login or password prompt ends it at once, a
 * shell prompt once no more text follows it. A device that stays quiet or closes has shown its banner.
 */
export async function probeTelnetBanner(net: GuardedNetwork, probe: TelnetBannerProbe): Promise<TelnetBanner | (AuthObservation & { outcome: 'error' })> {
  const started = process.hrtime.bigint();
  const prompts = { ...DEFAULT_PROMPTS, ...probe.prompts };
  let socket: Socket;
  try {
    socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return { outcome: 'error', failure: e.failure, detail: e.message, latencyMs: elapsed(started), sent: '', received: '' };
  }
  const session = new TelnetSession(socket);
  const deadline = exchangeDeadline(probe.signal, probe.timeoutMs);
  const banner = (shown: Shown, at: bigint): TelnetBanner => ({
    outcome: 'banner',
    text: session.screen,
    shellWithoutLogin: shown === 'shell',
    commands: session.commands,
    sent: session.sent,
    received: session.received,
    rawReceived: session.rawReceived,
    latencyMs: Number((at - started) / 1000n) / 1000,
  });
  try {
    const sign = await session.until<Shown>((screen) =>
      prompts.login.test(screen) || prompts.password.test(screen) ? { value: 'login' }
      : prompts.shell.test(screen) ? { value: 'shell', tentative: true }
      : null, deadline.signal);
    return banner(sign.value, sign.at);
  } catch (err) {
    const e = classifyNetError(err);
    if (e.failure === 'timeout' || e.failure === 'closed') return banner('nothing', process.hrtime.bigint());
    return { outcome: 'error', failure: e.failure, detail: e.message, latencyMs: elapsed(started), sent: session.sent, received: session.received, rawReceived: session.rawReceived };
  } finally {
    deadline.dispose();
    session.close();
  }
}
