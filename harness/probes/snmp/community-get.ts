import { randomInt } from 'node:crypto';
import type { GuardedNetwork } from '../../net/network.js';
import type { Secret } from '../../secrets/secret.js';
import { exchangeSnmp, type SnmpTarget } from './exchange.js';
import { describeSnmpMessage, encodeSnmpMessage, type CommunityMessage } from './message.js';

export const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

export interface SnmpCommunityProbe extends SnmpTarget {
  version: 'v1' | 'v2c';
  /** A Secret from the profile, or a published default such as "public" (shown as it is). */
  community: Secret | string;
  oid?: string;
}

/** What an agent did with one community GetRequest: facts only. */
export interface SnmpCommunityReply {
  outcome: 'answered' | 'no-answer' | 'aborted';
  version: 'v1' | 'v2c';
  /** The GetResponse (or whatever PDU answered the request-id), when one came. */
  response: CommunityMessage | null;
  detail: string;
  /** Datagrams from the agent that were not the answer. */
  ignored: string[];
  sent: string;
  received: string;
  latencyMs: number;
}

/**
 * One SNMPv1 or v2c GetRequest (sysDescr.0 by default) with a community string, answered by any message of
 * the same version that echoes its request-id. An agent stays silent on a community it does not know.
 */
export async function probeSnmpCommunityGet(net: GuardedNetwork, probe: SnmpCommunityProbe): Promise<SnmpCommunityReply> {
  const community = typeof probe.community === 'string' ? probe.community : probe.community.reveal();
  const shown = typeof probe.community === 'string' ? JSON.stringify(probe.community) : String(probe.community);
  const request: CommunityMessage = {
    version: probe.version,
    community,
    pdu: { type: 'get-request', requestId: randomInt(1, 2 ** 31 - 1), errorStatus: 0, errorIndex: 0, varbinds: [{ oid: probe.oid ?? SYS_DESCR, value: { type: 'null' } }] },
  };
  const answer = await exchangeSnmp(net, probe, encodeSnmpMessage(request), (m) => m.version === probe.version && m.pdu.requestId === request.pdu.requestId);
  const response = answer.message as CommunityMessage | null;
  const echoed = response && (response.community === community ? shown : '(a different community, not recorded)');
  return {
    outcome: answer.outcome,
    version: probe.version,
    response,
    detail: response ? `${response.pdu.type} error-status=${response.pdu.errorStatus}` : answer.detail,
    ignored: answer.ignored,
    sent: describeSnmpMessage(request, shown),
    received: response ? describeSnmpMessage(response, echoed!) : answer.detail,
    latencyMs: answer.latencyMs,
  };
}
