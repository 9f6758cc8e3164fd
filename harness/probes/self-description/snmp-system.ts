import type { DeviceStatement } from '../../inventory/types.js';
import type { GuardedNetwork } from '../../net/network.js';
import type { Snmpv3User } from '../../profile/types.js';
import type { Secret } from '../../secrets/secret.js';
import { probeSnmpCommunityGet, SYS_DESCR } from '../snmp/community-get.js';
import { probeSnmpEngineDiscovery } from '../snmp/engine-discovery.js';
import type { SnmpTarget } from '../snmp/exchange.js';
import type { SnmpValue } from '../snmp/message.js';
import { probeSnmpv3Get } from '../snmp/v3-get.js';
import { STATEMENT_CHARS } from './identity-statements.js';

/**
 * The agent's own description of the system (RFC 3418 system group): sysDescr, which usually names the
 * product, and sysObjectID, the vendor's registration of the model. Read only with the credential the
 * profile declares for the service, each request within the authentication rate limit.
 */

export const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';
const OBJECTS = [
  { oid: SYS_DESCR, name: 'sysDescr' },
  { oid: SYS_OBJECT_ID, name: 'sysObjectID' },
] as const;

export type SnmpReadCredential = { community: Secret } | { user: Snmpv3User };

export interface SnmpSystemRead {
  outcome: 'read' | 'no-answer';
  statements: DeviceStatement[];
  exchanges: Array<{ sent: string; received: string; summary: string }>;
  detail: string;
}

function printable(value: SnmpValue | undefined): string | null {
  if (value?.type === 'oid') return value.oid;
  if (value?.type !== 'octet-string') return null;
  const text = value.bytes.toString('utf8').replace(/[\x00-\x1f\x7f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text.slice(0, STATEMENT_CHARS);
}

export async function readSnmpSystem(net: GuardedNetwork, target: SnmpTarget, credential: SnmpReadCredential): Promise<SnmpSystemRead> {
  const exchanges: SnmpSystemRead['exchanges'] = [];
  const statements: DeviceStatement[] = [];
  const state = (name: string, version: string, value: SnmpValue | undefined) => {
    const text = printable(value);
    if (text) statements.push({ source: `snmp ${target.port}/udp ${name} (SNMP${version})`, port: target.port, transport: 'udp', field: 'text', value: text });
  };

  if ('community' in credential) {
    // v2c first (what current agents speak); v1 only when v2c is not answered.
    for (const version of ['v2c', 'v1'] as const) {
      let answered = false;
      for (const object of OBJECTS) {
        await net.authAttempt(target.signal);
        const reply = await probeSnmpCommunityGet(net, { ...target, version, community: credential.community, oid: object.oid });
        exchanges.push({ sent: reply.sent, received: reply.received, summary: `SNMP${version} GetRequest ${object.name}.0 with the declared community → ${reply.detail}` });
        if (reply.outcome !== 'answered') break;
        answered = true;
        if (reply.response?.pdu.errorStatus === 0) state(object.name, version, reply.response.pdu.varbinds[0]?.value);
      }
      if (answered || target.signal.aborted) break;
    }
  } else {
    const discovery = await probeSnmpEngineDiscovery(net, target);
    exchanges.push({ sent: discovery.sent, received: discovery.received, summary: `SNMPv3 engine discovery → ${discovery.detail}` });
    if (discovery.engine) {
      for (const object of OBJECTS) {
        await net.authAttempt(target.signal);
        const reply = await probeSnmpv3Get(net, { ...target, engine: discovery.engine, user: credential.user, oid: object.oid });
        exchanges.push({ sent: reply.sent, received: reply.received, summary: `SNMPv3 GetRequest ${object.name}.0 as user "${credential.user.user}" → ${reply.detail}` });
        if (reply.outcome !== 'answered') break;
        if (reply.pdu?.errorStatus === 0) state(object.name, 'v3', reply.pdu.varbinds[0]?.value);
      }
    }
  }
  const read = statements.length > 0;
  return { outcome: read ? 'read' : 'no-answer', statements, exchanges, detail: read ? statements.map((s) => s.source).join(', ') : (exchanges.at(-1)?.summary ?? 'nothing sent') };
}
