import { probeTelnetBanner } from '../../../probes/telnet/banner.js';
import { DEFAULT_PROMPTS } from '../../../probes/telnet/prompts.js';
import type { Service } from '../../../profile/types.js';
import type { CheckContext } from '../../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../../verdicts/outcome.js';

const LAST_LINE = 60;
/** Share of unreadable characters (replacement characters, control codes) past which text is not a banner but noise. */
const NOISE_SHARE = 0.05;

function readable(text: string): boolean {
  const noise = text.match(/[\ufffd\u0000-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0;
  return noise <= text.length * NOISE_SHARE;
}

/**
 * S1.1-12 on a Telnet service. Telnet has no encryption at all, so whatever it shows proves the channel:
 * the login typed at that prompt crosses the network in plaintext. Its only pass is its absence, as in
 * testrun's security.services.telnet: a port that refuses connections.
 */
export async function checkTelnetPlaintext(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const timeoutMs = ctx.policy.budgets.replyTimeoutMs;
  const banner = await probeTelnetBanner(ctx.net, { host: ctx.profile.target.address, port: service.port, signal: ctx.signal, timeoutMs });
  const where = `${service.port}/tcp`;
  if (banner.outcome === 'error') {
    const evidence = ctx.evidence.record({ kind: 'observation', summary: `Telnet ${where}: ${banner.detail}`, target: ctx.target, data: { port: service.port, failure: banner.failure ?? null } });
    if (banner.failure === 'refused') return pass(`${service.name}: ${where} refuses connections, so no Telnet channel is open (evidence #${evidence.seq}); the profile still declares one`);
    return inconclusive(`${service.name}: ${banner.detail} on ${where} (evidence #${evidence.seq})`);
  }
  const text = banner.text.trim();
  const lastLine = text.split(/\r?\n/).at(-1)?.slice(-LAST_LINE) ?? '';
  const prompted = banner.shellWithoutLogin || DEFAULT_PROMPTS.login.test(text) || DEFAULT_PROMPTS.password.test(text);
  const shown = banner.shellWithoutLogin ? `a shell prompt "${lastLine}"`
    : prompted ? `a login prompt "${lastLine}"`
    : `the banner "${lastLine}"`;
  const evidence = ctx.evidence.record({
    kind: 'observation',
    summary: text ? `Telnet ${where}, connected and typed nothing → ${shown}` : `Telnet ${where} accepted a connection and showed nothing within ${timeoutMs} ms`,
    target: ctx.target,
    // Only the visible text: the option negotiation around it says nothing about encryption.
    received: banner.text,
    data: { port: service.port, shellWithoutLogin: banner.shellWithoutLogin, latencyMs: banner.latencyMs },
  });
  if (!text) return inconclusive(`${service.name}: ${where} accepted a connection but showed no banner or prompt within ${timeoutMs} ms (evidence #${evidence.seq})`);
  if (!prompted && (banner.commands === 0 || !readable(text))) {
    // No prompt, and either no Telnet command or text that is noise: nothing shows that this port speaks Telnet at all.
    const how = banner.commands === 0 ? 'no Telnet negotiation' : 'unreadable text';
    return inconclusive(`${service.name}: ${where} sent ${JSON.stringify(lastLine)} with ${how} and no login or shell prompt within ${timeoutMs} ms (evidence #${evidence.seq}): jcstar cannot read it as Telnet`);
  }
  return fail(`${service.name}: Telnet on ${where} shows ${shown} in plaintext (evidence #${evidence.seq}); the login typed there crosses the network unencrypted`);
}
