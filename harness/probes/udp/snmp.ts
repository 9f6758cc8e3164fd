import { engineDiscoveryRequest } from '../snmp/engine-discovery.js';
import { decodeSnmpDatagram, decodeSnmpMessage, encodeSnmpMessage } from '../snmp/message.js';
import { recognised, type UdpPayload } from './payload.js';

/**
 * SNMP: SNMPv3 engine discovery, which every v3 agent answers with a Report naming its engine, and which
 * carries no community (a community is a credential; `public` is not sent). A v1/v2c-only agent stays
 * silent: open|filtered, as it is to nmap without a community.
 */
export const SNMP_PAYLOAD: UdpPayload = {
  name: 'snmpv3-engine-discovery',
  build: () => encodeSnmpMessage(engineDiscoveryRequest()),
  recognise(answer, request) {
    const sent = decodeSnmpMessage(request);
    let reply;
    try {
      reply = decodeSnmpDatagram(answer);
    } catch {
      return null;
    }
    // An echo is our own get-request; only the agent's Report (or a v3 answer to our message ID) counts.
    if (reply.version !== 'v3' || sent.version !== 'v3' || reply.messageId !== sent.messageId || 'encryptedPdu' in reply || reply.pdu.type === 'get-request') return null;
    const engineId = reply.usm.engineId;
    const details: Record<string, string> = { 'snmp.pdu': reply.pdu.type };
    if (engineId.length > 0) {
      details['snmp.engineId'] = engineId.subarray(0, 32).toString('hex');
      details['snmp.engineBoots'] = String(reply.usm.engineBoots);
      // RFC 3411 §5 SnmpEngineID: a set high bit means the first four bytes are the vendor's enterprise number.
      if (engineId.length >= 5 && engineId[0]! & 0x80) details['snmp.enterprise'] = String(engineId.readUInt32BE(0) & 0x7fffffff);
    }
    const report = reply.pdu.varbinds[0]?.oid;
    if (report) details['snmp.report'] = report;
    return recognised('snmp', 'snmp', { banner: `SNMPv3 ${reply.pdu.type}${engineId.length ? ` engine ${details['snmp.engineId']}` : ''}`, details });
  },
};
