import { probeTelnetBanner } from '../../probes/telnet/banner.js';
import { DEFAULT_PROMPTS } from '../../probes/telnet/prompts.js';
import { parsePortRanges } from '../../probes/tcp/port-ranges.js';
import type { DeviceProfile, Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { notApplicable, type CheckOutcome } from '../../verdicts/outcome.js';
import { judgeAccess, subjectOf, type Reach, type Trial } from './judge.js';

/** Telnet's port and the Mirai-era alternate that debug shells favour. */
const TELNET_PORTS = [23, 2323];
const LAST_LINE = 60;

interface Shown {
  reach: Reach;
  answer: string;
  /** Nothing listened on the port. */
  closed: boolean;
  seq: number;
}

async function showWithoutLogin(ctx: CheckContext, port: number, role: string): Promise<Shown> {
  const timeoutMs = ctx.policy.budgets.replyTimeoutMs;
  const banner = await probeTelnetBanner(ctx.net, { host: ctx.profile.target.address, port, signal: ctx.signal, timeoutMs });
  const target = { host: ctx.profile.target.address, port, protocol: 'telnet' };
  if (banner.outcome === 'error') {
    // A refused or unanswered connection: there is no service on this port.
    const closed = banner.sent === '' && ['refused', 'timeout', 'unreachable'].includes(banner.failure ?? '');
    const seq = ctx.evidence.record({ kind: 'observation', summary: `${role} ${port}/tcp: ${banner.detail}`, target, data: { port, failure: banner.failure ?? null } }).seq;
    return { reach: 'unanswered', answer: banner.detail, closed, seq };
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
    summary: `${role} ${port}/tcp, connected and sent nothing → ${answer}`,
    target,
    sent: banner.sent,
    received: banner.received,
    data: { port, shellWithoutLogin: banner.shellWithoutLogin, latencyMs: banner.latencyMs },
    artifacts: [{ name: `telnet-${port}-banner.bin`, bytes: banner.rawReceived, mediaType: 'application/octet-stream' }],
  }).seq;
  return { reach, answer, closed: false, seq };
}

/** S1.1-01 on a declared Telnet service: does it hand out a shell before any login? */
export async function checkTelnetAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const shown = await showWithoutLogin(ctx, service.port, 'telnet');
  return judgeAccess(ctx, subjectOf(service), [{ resource: 'shell', reach: shown.reach, protected: true, answer: shown.answer, seq: shown.seq }]);
}

/** The Telnet ports the policy scans that no declared TCP service claims. */
export function undeclaredTelnetPorts(profile: DeviceProfile): number[] {
  const declared = new Set(profile.services.filter((s) => s.transport === 'tcp').map((s) => s.port));
  const scanned = new Set(parsePortRanges(profile.policy.portScan.tcpPorts));
  return TELNET_PORTS.filter((p) => scanned.has(p) && !declared.has(p));
}

/** S1.1-01 on undeclared Telnet ports: an undocumented shell reached without login (TS 103 701 5.5-4-2). */
export async function checkUndeclaredTelnet(ctx: CheckContext, ports: number[]): Promise<CheckOutcome> {
  const trials: Trial[] = [];
  for (const port of ports) {
    if (ctx.signal.aborted) break;
    const shown = await showWithoutLogin(ctx, port, 'undeclared');
    if (!shown.closed) trials.push({ resource: `shell on ${port}/tcp`, reach: shown.reach, protected: true, answer: shown.answer, seq: shown.seq });
  }
  if (!trials.length && !ctx.signal.aborted) return notApplicable(`nothing listens on ${ports.map((p) => `${p}/tcp`).join(' or ')} besides the declared services`);
  return judgeAccess(ctx, { name: 'undeclared Telnet port(s)', declaredUnauthenticated: false, public: [] }, trials);
}
