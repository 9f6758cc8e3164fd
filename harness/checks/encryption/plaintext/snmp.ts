import { probeSnmpCommunityGet, type SnmpCommunityReply } from '../../../probes/snmp/community-get.js';
import type { Service } from '../../../profile/types.js';
import type { Secret } from '../../../secrets/secret.js';
import type { CheckContext } from '../../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../../verdicts/outcome.js';
import { discoverEngine } from '../../snmp-trials.js';

/** What a manager tries when the profile names no community: the default almost every agent ships with. */
const DEFAULT_COMMUNITY = 'public';
const VERSIONS = ['v1', 'v2c'] as const;

function communityOf(ctx: CheckContext, service: Service): Secret | string {
  const credential = service.credential ? ctx.profile.credentials[service.credential] : undefined;
  return credential?.password ?? credential?.key ?? DEFAULT_COMMUNITY;
}

/**
 * S1.1-12 on an SNMP service: a v1 and a v2c GetRequest for sysDescr.0 with the declared community (or
 * "public"), then SNMPv3 engine discovery. Any v1/v2c answer shows a community string, a password, that
 * crosses the network in plaintext; only USM (v3) answering passes.
 */
export async function checkSnmpPlaintext(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const endpoint = { host: ctx.profile.target.address, port: service.port, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs };
  const community = communityOf(ctx, service);
  const shown = typeof community === 'string' ? `"${community}"` : `${community} (declared)`;
  const replies: Array<{ reply: SnmpCommunityReply; seq: number }> = [];
  for (const version of VERSIONS) {
    if (ctx.signal.aborted) break;
    await ctx.net.authAttempt(ctx.signal);
    const reply = await probeSnmpCommunityGet(ctx.net, { ...endpoint, version, community });
    const seq = ctx.evidence.record({
      kind: 'exchange',
      summary: `SNMP${version} GetRequest sysDescr.0 with the community ${shown} → ${reply.detail}`,
      target: ctx.target,
      sent: reply.sent,
      received: reply.received,
      data: { version, outcome: reply.outcome, pdu: reply.response?.pdu.type ?? null, errorStatus: reply.response?.pdu.errorStatus ?? null, ignored: reply.ignored, latencyMs: reply.latencyMs },
    }).seq;
    replies.push({ reply, seq });
  }
  const { reply: discovery, seq: discoverySeq } = await discoverEngine(ctx, service);
  const engineId = discovery.response?.usm.engineId.toString('hex') ?? null;

  const where = `${service.port}/udp`;
  const answered = replies.filter((r) => r.reply.outcome === 'answered');
  const silent = replies.filter((r) => r.reply.outcome !== 'answered');
  const refs = (items: typeof replies) => items.map((r) => `SNMP${r.reply.version} evidence #${r.seq}`).join(', ');
  if (answered.length) {
    const versions = answered.map((r) => `SNMP${r.reply.version}`).join(' and ');
    return fail(`${service.name}: ${versions} ${answered.length > 1 ? 'answer' : 'answers'} on ${where} with a community string in plaintext (${refs(answered)})`);
  }
  const report = discovery.response?.pdu.type === 'report';
  const v3 = report ? `SNMPv3 engine discovery got a Report (engine ID ${engineId || '(empty)'}; evidence #${discoverySeq})` : `SNMPv3 engine discovery: ${discovery.detail} (evidence #${discoverySeq})`;
  if (service.auth === 'community') {
    // The vendor says v1/v2c community authentication: silence means the community was wrong, not that v1/v2c is off.
    return inconclusive(`${service.name} is declared with community authentication (SNMPv1/v2c), yet the community ${shown} got no answer (${refs(silent)}); declare the right one under services[].credential. ${v3}`);
  }
  if (report) return pass(`${service.name}: only SNMPv3 answers on ${where}: ${v3}; SNMPv1 and v2c GetRequests with the community ${shown} got no answer (${refs(silent)})`);
  return inconclusive(`${service.name}: no SNMP answer on ${where} (${refs(silent)}); ${v3}`);
}
