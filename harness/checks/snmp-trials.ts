import { randomBytes } from 'node:crypto';
import { probeSnmpCommunityGet, type SnmpCommunityReply } from '../probes/snmp/community-get.js';
import { probeSnmpEngineDiscovery, type SnmpEngineDiscoveryReply } from '../probes/snmp/engine-discovery.js';
import { AUTH_PROTOCOLS } from '../probes/snmp/usm-keys.js';
import { PRIV_PROTOCOL_NAMES } from '../probes/snmp/usm-privacy.js';
import { probeSnmpv3Get, type SnmpEngine, type Snmpv3GetProbe, type Snmpv3GetReply } from '../probes/snmp/v3-get.js';
import type { Service } from '../profile/types.js';
import type { Secret } from '../secrets/secret.js';
import type { CheckContext } from '../suite/context.js';

/**
 * SNMP trials that S1.1-01 and S1.1-02 share (and S1.1-12 its engine discovery), each recorded as evidence. Over UDP an agent refuses a
 * community by silence, so silence counts as a refusal only once the agent is shown to be alive: an
 * SNMPv3 discovery Report, or a declared community or USM user that is answered.
 */

const VERSIONS = ['v1', 'v2c'] as const;

export interface CommunityTrial {
  /** How transcripts and reasons show it: the marker of a declared Secret, or the value of a random or published one. */
  shown: string;
  replies: Array<{ reply: SnmpCommunityReply; seq: number }>;
  /** The versions whose GetRequest was answered. */
  answered: Array<'v1' | 'v2c'>;
}

/** A community no agent is configured with: the negative control. */
export function randomCommunity(): string {
  return `jcstar-${randomBytes(6).toString('hex')}`;
}

function endpointOf(ctx: CheckContext, service: Service) {
  return { host: ctx.profile.target.address, port: service.port, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs };
}

/**
 * Sends a v1 and a v2c GetRequest for sysDescr.0 with one community, each within the authentication rate
 * limit; resolves once both are answered or timed out. Returned as soon as both are sent, so that the
 * caller can pace the next community while these wait.
 */
export async function sendCommunity(ctx: CheckContext, service: Service, community: Secret | string, role: string): Promise<{ settled: Promise<CommunityTrial> }> {
  const shown = typeof community === 'string' ? `"${community}"` : String(community);
  const pending: Array<Promise<{ reply: SnmpCommunityReply; seq: number }>> = [];
  for (const version of VERSIONS) {
    if (ctx.signal.aborted) break;
    await ctx.net.authAttempt(ctx.signal);
    pending.push(
      probeSnmpCommunityGet(ctx.net, { ...endpointOf(ctx, service), version, community }).then((reply) => {
        const seq = ctx.evidence.record({
          kind: 'exchange',
          summary: `${role}: SNMP${version} GetRequest sysDescr.0 with the community ${shown} → ${reply.outcome === 'answered' ? reply.detail : 'no answer'}`,
          target: ctx.target,
          sent: reply.sent,
          received: reply.received,
          data: { role, version, outcome: reply.outcome, pdu: reply.response?.pdu.type ?? null, errorStatus: reply.response?.pdu.errorStatus ?? null, ignored: reply.ignored, latencyMs: reply.latencyMs },
        }).seq;
        return { reply, seq };
      }),
    );
  }
  // Wrapped, since an async function would otherwise wait for the replies before it returns.
  return { settled: Promise.all(pending).then((replies) => ({ shown, replies, answered: replies.filter((r) => r.reply.outcome === 'answered').map((r) => r.reply.version) })) };
}

export async function tryCommunity(ctx: CheckContext, service: Service, community: Secret | string, role: string): Promise<CommunityTrial> {
  return (await sendCommunity(ctx, service, community, role)).settled;
}

export function evidenceOf(trial: CommunityTrial): string {
  return trial.replies.map((r) => `SNMP${r.reply.version} #${r.seq}`).join(', ');
}

export interface Discovery {
  reply: SnmpEngineDiscoveryReply;
  engine: SnmpEngine | null;
  seq: number;
}

/** SNMPv3 engine discovery: no secret is sent, and a Report shows a live USM agent and its engine. */
export async function discoverEngine(ctx: CheckContext, service: Service): Promise<Discovery> {
  const reply = await probeSnmpEngineDiscovery(ctx.net, endpointOf(ctx, service));
  const engine = reply.engine;
  const seq = ctx.evidence.record({
    kind: 'exchange',
    summary: `SNMPv3 engine discovery (noAuthNoPriv, empty engine ID) → ${reply.detail}`,
    target: ctx.target,
    sent: reply.sent,
    received: reply.received,
    data: { version: 'v3', outcome: reply.outcome, pdu: reply.response?.pdu.type ?? null, engineId: engine?.engineId.toString('hex') ?? null, engineBoots: engine?.engineBoots ?? null, engineTime: engine?.engineTime ?? null, ignored: reply.ignored, latencyMs: reply.latencyMs },
  }).seq;
  return { reply, engine, seq };
}

export interface UsmTrial {
  reply: Snmpv3GetReply;
  seq: number;
}

/** One SNMPv3 GetRequest as a user (a declared one, or an unknown name at noAuthNoPriv), within the authentication rate limit. */
export async function tryUsmUser(ctx: CheckContext, service: Service, engine: SnmpEngine, user: Snmpv3GetProbe['user'], role: string): Promise<UsmTrial> {
  await ctx.net.authAttempt(ctx.signal);
  const reply = await probeSnmpv3Get(ctx.net, { ...endpointOf(ctx, service), engine, user });
  const protocols = 'authProtocol' in user ? { authProtocol: AUTH_PROTOCOLS[user.authProtocol].name, privProtocol: user.privacy ? PRIV_PROTOCOL_NAMES[user.privacy.protocol] : null } : {};
  const seq = ctx.evidence.record({
    kind: 'exchange',
    summary: `${role}: SNMPv3 GetRequest sysDescr.0 as user "${user.user}" (${reply.securityLevel}) → ${reply.detail}${reply.resynchronised ? ' (after a time resync)' : ''}`,
    target: ctx.target,
    sent: reply.sent,
    received: reply.received,
    data: { role, version: 'v3', user: user.user, securityLevel: reply.securityLevel, ...protocols, outcome: reply.outcome, counter: reply.counter, resynchronised: reply.resynchronised, ignored: reply.ignored, latencyMs: reply.latencyMs },
  }).seq;
  return { reply, seq };
}

/** A user name no agent has: USM must answer it with a usmStatsUnknownUserNames Report. */
export function unknownUser(): { user: string } {
  return { user: `jcstar-${randomBytes(6).toString('hex')}` };
}
