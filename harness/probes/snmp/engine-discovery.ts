import { randomInt } from 'node:crypto';
import type { GuardedNetwork } from '../../net/network.js';
import { exchangeSnmp, type SnmpTarget } from './exchange.js';
import { REPORTABLE, USM_SECURITY_MODEL, describeSnmpMessage, encodeSnmpMessage, type V3Message } from './message.js';
import { USM_STATS, type SnmpEngine } from './v3-get.js';

/** The counter a USM agent reports when a request names no engine it knows (RFC 3414 §3.2 step 3). */
export const USM_STATS_UNKNOWN_ENGINE_IDS = USM_STATS.unknownEngineIDs;
/** Largest message jcstar accepts: a UDP datagram's payload. */
const MAX_SIZE = 65507;

export interface SnmpEngineDiscoveryReply {
  outcome: 'answered' | 'no-answer' | 'aborted';
  /** The Report (or other v3 message echoing the msgID), when one came. */
  response: V3Message | null;
  /** The engine a Report names (a non-empty snmpEngineID) and its clock, for authenticated requests. */
  engine: SnmpEngine | null;
  detail: string;
  ignored: string[];
  sent: string;
  received: string;
  latencyMs: number;
}

/**
 * The SNMPv3 engine-discovery request (RFC 3414 §4): a reportable noAuthNoPriv GetRequest with an empty
 * engine ID and user name, fresh message and request IDs. A v3 agent answers with a Report carrying its
 * engine ID; no secret (not even a community) is sent.
 */
export function engineDiscoveryRequest(): V3Message {
  return {
    version: 'v3',
    messageId: randomInt(1, 2 ** 31 - 1),
    maxSize: MAX_SIZE,
    flags: REPORTABLE,
    securityModel: USM_SECURITY_MODEL,
    usm: { engineId: Buffer.alloc(0), engineBoots: 0, engineTime: 0, userName: '' },
    contextEngineId: Buffer.alloc(0),
    contextName: '',
    pdu: { type: 'get-request', requestId: randomInt(1, 2 ** 31 - 1), errorStatus: 0, errorIndex: 0, varbinds: [] },
  };
}

/** SNMPv3 engine discovery over its own exchange (retransmissions within the target's timeout). */
export async function probeSnmpEngineDiscovery(net: GuardedNetwork, probe: SnmpTarget): Promise<SnmpEngineDiscoveryReply> {
  const request = engineDiscoveryRequest();
  const answer = await exchangeSnmp(net, probe, encodeSnmpMessage(request), (m) => m.version === 'v3' && m.messageId === request.messageId && !('encryptedPdu' in m));
  const response = answer.message as V3Message | null;
  const usm = response?.pdu.type === 'report' && response.usm.engineId.length > 0 ? response.usm : null;
  return {
    outcome: answer.outcome,
    response,
    engine: usm && { engineId: usm.engineId, engineBoots: usm.engineBoots, engineTime: usm.engineTime, readAt: Date.now() },
    detail: response ? `${response.pdu.type}${response.pdu.varbinds.length ? ` ${response.pdu.varbinds.map((v) => v.oid).join(', ')}` : ''}` : answer.detail,
    ignored: answer.ignored,
    sent: describeSnmpMessage(request, ''),
    received: response ? describeSnmpMessage(response, '') : answer.detail,
    latencyMs: answer.latencyMs,
  };
}
