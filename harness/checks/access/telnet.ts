import { probeTelnetBanner } from '../../probes/telnet/banner.js';
import { DEFAULT_PROMPTS } from '../../probes/telnet/prompts.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';
import { judgeAccess, subjectOf, type Reach } from './judge.js';

const LAST_LINE = 60;

interface Shown {
  reach: Reach;
  answer: string;
  seq: number;
}

async function showWithoutLogin(ctx: CheckContext, port: number): Promise<Shown> {
  const timeoutMs = ctx.policy.budgets.replyTimeoutMs;
  const banner = await probeTelnetBanner(ctx.net, { host: ctx.profile.target.address, port, signal: ctx.signal, timeoutMs });
  const target = { host: ctx.profile.target.address, port, protocol: 'telnet' };
  if (banner.outcome === 'error') {
    const seq = ctx.evidence.record({ kind: 'observation', summary: `telnet ${port}/tcp: ${banner.detail}`, target, data: { port, failure: banner.failure ?? null } }).seq;
    return { reach: 'unanswered', answer: banner.detail, seq };
  }
  const text = banner.text.trimEnd();
  const lastLine = text.split(/\r?\n/).at(-1)?.slice(-LAST_LINE) ?? '';
  const [reach, answer]: [Reach, string] = banner.shellWithoutLogin
    ? ['reached', `shell prompt "${lastLine}" with no login`]
    : DEFAULT_PROMPTS.login.test(text) || DEFAULT_PROMPTS.password.test(text)
      ? ['refused', `login prompt "${lastLine}"`]
      : ['other', `no login or shell prompt within ${timeoutMs} ms`];
  const seq = ctx.evidence.record({
    kind: 'observation',
    summary: `telnet ${port}/tcp, connected and sent nothing → ${answer}`,
    target,
    sent: banner.sent,
    received: banner.received,
    data: { port, shellWithoutLogin: banner.shellWithoutLogin, latencyMs: banner.latencyMs },
    artifacts: [{ name: `telnet-${port}-banner.bin`, bytes: banner.rawReceived, mediaType: 'application/octet-stream' }],
  }).seq;
  return { reach, answer, seq };
}

/** S1.1-01 on a declared Telnet service: does it hand out a shell before any login? */
export async function checkTelnetAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const shown = await showWithoutLogin(ctx, service.port);
  return judgeAccess(ctx, subjectOf(service), [{ resource: 'shell', reach: shown.reach, protected: true, answer: shown.answer, seq: shown.seq }]);
}
