import { probeSnmpCommunityGet } from '../snmp/community-get.js';
import { probeSnmpEngineDiscovery } from '../snmp/engine-discovery.js';
import type { SnmpValue } from '../snmp/message.js';
import { probeSnmpv3Get } from '../snmp/v3-get.js';
import { boundedText, type ChannelRead, type ChannelTarget } from './channel.js';

function textOf(value: SnmpValue | undefined): string | null {
  if (!value) return null;
  if (value.type === 'octet-string') return value.bytes.toString('utf8');
  if (value.type === 'oid') return value.oid;
  if ('value' in value) return String(value.value);
  return null;
}

/**
 * SNMP GET of `oid` with the service's declared credential: a community (v2c, then v1 when v2c is not
 * answered) or an SNMPv3 USM user after engine discovery, each request within the authentication rate limit.
 */
export async function readOverSnmp({ ctx, host, service, credential }: ChannelTarget, oid: string): Promise<ChannelRead> {
  const target = { host, port: service.port, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs };
  const sent: string[] = [];
  const received: string[] = [];
  const read = (method: string, answer: ChannelRead['answer']): ChannelRead => ({ method, answer, sent: sent.join('\n'), received: received.join('\n') });
  const answered = (method: string, value: SnmpValue | undefined, errorStatus: number): ChannelRead => {
    if (errorStatus !== 0) return read(method, { reason: `GET ${oid} answered error-status ${errorStatus}` });
    const text = textOf(value);
    if (text === null) return read(method, { reason: `GET ${oid} answered ${value?.type ?? 'no value'}, not a version` });
    return read(method, boundedText(Buffer.from(text, 'utf8')));
  };

  if (service.auth === 'community' && credential?.password) {
    for (const version of ['v2c', 'v1'] as const) {
      await ctx.net.authAttempt(ctx.signal);
      const reply = await probeSnmpCommunityGet(ctx.net, { ...target, version, community: credential.password, oid });
      sent.push(reply.sent);
      received.push(reply.received);
      const method = `SNMP${version} GET ${oid} at ${host}:${service.port}`;
      if (reply.response) return answered(method, reply.response.pdu.varbinds[0]?.value, reply.response.pdu.errorStatus);
      if (ctx.signal.aborted || version === 'v1') return read(method, { reason: `GET ${oid} with the declared community over SNMPv2c and SNMPv1: ${reply.detail}` });
    }
  }
  if (service.auth === 'usm' && credential?.snmpv3) {
    const method = `SNMPv3 GET ${oid} as "${credential.snmpv3.user}" at ${host}:${service.port}`;
    const discovery = await probeSnmpEngineDiscovery(ctx.net, target);
    sent.push(discovery.sent);
    received.push(discovery.received);
    if (!discovery.engine) return read(method, { reason: `SNMPv3 engine discovery: ${discovery.detail}` });
    await ctx.net.authAttempt(ctx.signal);
    const reply = await probeSnmpv3Get(ctx.net, { ...target, engine: discovery.engine, user: credential.snmpv3, oid });
    sent.push(reply.sent);
    received.push(reply.received);
    if (reply.outcome !== 'answered' || !reply.pdu) return read(method, { reason: `GET ${oid} as "${credential.snmpv3.user}": ${reply.detail}` });
    return answered(method, reply.pdu.varbinds[0]?.value, reply.pdu.errorStatus);
  }
  return read(`SNMP GET ${oid} at ${host}:${service.port}`, { reason: `${service.name} needs auth community with a credential password (the community) or auth usm with an snmpv3 credential` });
}
