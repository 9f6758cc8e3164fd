import { createSocket, type RemoteInfo } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { SYS_DESCR } from '../../probes/snmp/community-get.js';
import { USM_STATS_UNKNOWN_ENGINE_IDS } from '../../probes/snmp/engine-discovery.js';
import { REPORTABLE, decodeSnmpMessage, encodeSnmpMessage, type CommunityMessage, type SnmpMessage, type SnmpVarbind, type SnmpVersion, type V3Message } from '../../probes/snmp/message.js';

/**
 * An SNMP agent in process, as a device's net-snmp would answer. `v2c-enabled`: v1 and v2c GetRequests
 * with the right community get sysDescr.0, and v3 engine discovery gets its Report. `v3-only`: only the
 * Report. A wrong community, like anything else it does not serve, gets silence.
 */
export interface SnmpAgentOptions {
  /** A 127.x address to bind. */
  host: string;
  port?: number;
  mode: 'v2c-enabled' | 'v3-only';
  community: string;
  sysDescr?: string;
}

export interface SnmpAgentRequest {
  version: SnmpVersion;
  /** As received, for tests that check what crossed the wire; null for v3. */
  community: string | null;
  answered: boolean;
}

export interface RunningSnmpAgent {
  host: string;
  port: number;
  requests(): SnmpAgentRequest[];
  close(): Promise<void>;
}

/** noSuchName, v1's answer for an object it does not have (RFC 1157 §4.1.2). */
const NO_SUCH_NAME = 2;
/** Enterprise-format engine ID (RFC 3411): net-snmp's enterprise number, format 0x80 random. */
const ENGINE_ID_PREFIX = Buffer.from('80001f8880', 'hex');

export async function startSnmpAgent(options: SnmpAgentOptions): Promise<RunningSnmpAgent> {
  const requests: SnmpAgentRequest[] = [];
  const engineId = Buffer.concat([ENGINE_ID_PREFIX, randomBytes(8)]);
  const bootedAt = Date.now();
  const sysDescr = options.sysDescr ?? 'jcstar fake agent, Linux 5.10 armv7l';
  let unknownEngineIds = 0;

  const answerCommunity = (request: CommunityMessage): CommunityMessage | null => {
    if (options.mode !== 'v2c-enabled' || request.community !== options.community || request.pdu.type !== 'get-request') return null;
    const missing = request.pdu.varbinds.findIndex((v) => v.oid !== SYS_DESCR);
    const varbinds: SnmpVarbind[] = request.pdu.varbinds.map((v) =>
      v.oid === SYS_DESCR ? { oid: v.oid, value: { type: 'octet-string', bytes: Buffer.from(sysDescr) } }
      : request.version === 'v1' ? v
      : { oid: v.oid, value: { type: 'no-such-object' } },
    );
    const v1Error = request.version === 'v1' && missing >= 0;
    return {
      ...request,
      pdu: { type: 'get-response', requestId: request.pdu.requestId, errorStatus: v1Error ? NO_SUCH_NAME : 0, errorIndex: v1Error ? missing + 1 : 0, varbinds },
    };
  };

  const answerV3 = (request: V3Message): V3Message | null => {
    if (!(request.flags & REPORTABLE) || request.usm.engineId.length > 0) return null;
    unknownEngineIds++;
    return {
      version: 'v3',
      messageId: request.messageId,
      maxSize: request.maxSize,
      flags: 0,
      securityModel: request.securityModel,
      usm: { engineId, engineBoots: 1, engineTime: Math.floor((Date.now() - bootedAt) / 1000), userName: '' },
      contextEngineId: engineId,
      contextName: '',
      pdu: { type: 'report', requestId: request.pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: USM_STATS_UNKNOWN_ENGINE_IDS, value: { type: 'counter32', value: unknownEngineIds } }] },
    };
  };

  const socket = createSocket({ type: 'udp4' });
  socket.on('error', () => {});
  socket.on('message', (datagram: Buffer, from: RemoteInfo) => {
    let request: SnmpMessage;
    try {
      request = decodeSnmpMessage(datagram);
    } catch {
      return;
    }
    const answer = request.version === 'v3' ? answerV3(request) : answerCommunity(request);
    requests.push({ version: request.version, community: request.version === 'v3' ? null : request.community, answered: answer !== null });
    if (answer) socket.send(encodeSnmpMessage(answer), from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: options.port ?? 0, address: options.host, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    host: options.host,
    port: socket.address().port,
    requests: () => [...requests],
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
