import { randomBytes, randomInt } from 'node:crypto';
import type { GuardedNetwork } from '../../net/network.js';
import type { Snmpv3User } from '../../profile/types.js';
import { SYS_DESCR } from './community-get.js';
import { exchangeSnmp, type SnmpTarget } from './exchange.js';
import {
  AUTH_FLAG,
  PRIV_FLAG,
  REPORTABLE,
  USM_SECURITY_MODEL,
  decodeScopedPdu,
  describeSnmpMessage,
  encodeScopedPdu,
  encodeV3,
  type EncryptedV3Message,
  type SnmpPdu,
  type V3Header,
  type V3Message,
} from './message.js';
import { AUTH_PROTOCOLS, authenticationTag, localizeKey, passwordToKey, verifyAuthentication } from './usm-keys.js';
import { PRIV_PROTOCOL_NAMES, decryptScopedPdu, desSalt, encryptScopedPdu } from './usm-privacy.js';

/** The usmStats counters (RFC 3414 §5, 1.3.6.1.6.3.15.1.1.n.0) an agent reports a refused request with. */
export const USM_STATS = {
  unsupportedSecLevels: '1.3.6.1.6.3.15.1.1.1.0',
  notInTimeWindows: '1.3.6.1.6.3.15.1.1.2.0',
  unknownUserNames: '1.3.6.1.6.3.15.1.1.3.0',
  unknownEngineIDs: '1.3.6.1.6.3.15.1.1.4.0',
  wrongDigests: '1.3.6.1.6.3.15.1.1.5.0',
  decryptionErrors: '1.3.6.1.6.3.15.1.1.6.0',
} as const;
export type UsmStatsCounter = keyof typeof USM_STATS;

/** An agent's snmpEngineID and its clock, as engine discovery read them. */
export interface SnmpEngine {
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  /** Date.now() when the clock was read, to advance engineTime by the time since. */
  readAt: number;
}

export type SecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

export interface Snmpv3GetProbe extends SnmpTarget {
  engine: SnmpEngine;
  /** A declared USM user, or just a name (noAuthNoPriv), such as an unknown user. */
  user: Snmpv3User | { user: string };
  oid?: string;
}

/**
 * What an agent did with one SNMPv3 GetRequest, facts only. answered: a GetResponse at the security
 * level asked for (authenticated and decrypted when that level says so); report: a Report naming a
 * usmStats counter (the agent refused the request); garbage: a reply that echoes the msgID but that
 * jcstar cannot accept (wrong tag, undecryptable, not a GetResponse or Report), or only unreadable datagrams.
 */
export interface Snmpv3GetReply {
  outcome: 'answered' | 'report' | 'no-answer' | 'garbage' | 'aborted';
  securityLevel: SecurityLevel;
  pdu: SnmpPdu | null;
  /** The usmStats counter of a Report, null when it names none jcstar knows. */
  counter: UsmStatsCounter | null;
  /** A notInTimeWindows Report gave the agent's clock and the request was sent again once with it (RFC 3414 §4). */
  resynchronised: boolean;
  detail: string;
  ignored: string[];
  sent: string;
  received: string;
  latencyMs: number;
}

/** Largest message jcstar accepts: a UDP datagram's payload. */
const MAX_SIZE = 65507;

interface Keys {
  auth: Buffer | null;
  priv: Buffer | null;
}

function securityLevelOf(user: Snmpv3GetProbe['user']): SecurityLevel {
  if (!('authProtocol' in user)) return 'noAuthNoPriv';
  return user.privacy ? 'authPriv' : 'authNoPriv';
}

/** Localised keys for this engine (RFC 3414 §2.6): the privacy key is localised with the authentication hash. */
function keysFor(user: Snmpv3GetProbe['user'], engineId: Buffer): Keys {
  if (!('authProtocol' in user)) return { auth: null, priv: null };
  const auth = localizeKey(passwordToKey(user.authPassword.reveal(), user.authProtocol), engineId, user.authProtocol);
  const priv = user.privacy ? localizeKey(passwordToKey(user.privacy.password.reveal(), user.authProtocol), engineId, user.authProtocol) : null;
  return { auth, priv };
}

function counterOf(pdu: SnmpPdu): UsmStatsCounter | null {
  const oid = pdu.varbinds[0]?.oid;
  return (Object.keys(USM_STATS) as UsmStatsCounter[]).find((c) => USM_STATS[c] === oid) ?? null;
}

/**
 * One SNMPv3 GetRequest (sysDescr.0 by default) to a discovered engine, at the user's security level:
 * authenticated with the user's localised key and encrypted with its privacy key when it has them.
 * Neither passphrase nor key is ever written: transcripts show the user name and the protocols.
 */
export async function probeSnmpv3Get(net: GuardedNetwork, probe: Snmpv3GetProbe): Promise<Snmpv3GetReply> {
  const level = securityLevelOf(probe.user);
  const keys = keysFor(probe.user, probe.engine.engineId);
  const first = await exchangeOnce(net, probe, level, keys, probe.engine);
  if (first.outcome !== 'report' || first.counter !== 'notInTimeWindows' || !first.clock) return first.reply;
  const clock = { engineId: probe.engine.engineId, ...first.clock, readAt: Date.now() };
  const second = await exchangeOnce(net, probe, level, keys, clock);
  return { ...second.reply, resynchronised: true, latencyMs: first.reply.latencyMs + second.reply.latencyMs };
}

interface Exchanged {
  outcome: Snmpv3GetReply['outcome'];
  counter: UsmStatsCounter | null;
  clock: { engineBoots: number; engineTime: number } | null;
  reply: Snmpv3GetReply;
}

async function exchangeOnce(net: GuardedNetwork, probe: Snmpv3GetProbe, level: SecurityLevel, keys: Keys, engine: SnmpEngine): Promise<Exchanged> {
  const { user } = probe;
  const protocols = 'authProtocol' in user ? user : null;
  const header: V3Header = {
    version: 'v3',
    messageId: randomInt(1, 2 ** 31 - 1),
    maxSize: MAX_SIZE,
    flags: REPORTABLE | (keys.auth ? AUTH_FLAG : 0) | (keys.priv ? PRIV_FLAG : 0),
    securityModel: USM_SECURITY_MODEL,
    usm: {
      engineId: engine.engineId,
      engineBoots: engine.engineBoots,
      engineTime: engine.engineTime + Math.max(0, Math.floor((Date.now() - engine.readAt) / 1000)),
      userName: user.user,
    },
  };
  const scoped = {
    contextEngineId: engine.engineId,
    contextName: '',
    pdu: { type: 'get-request' as const, requestId: randomInt(1, 2 ** 31 - 1), errorStatus: 0, errorIndex: 0, varbinds: [{ oid: probe.oid ?? SYS_DESCR, value: { type: 'null' as const } }] },
  };
  let body: Parameters<typeof encodeV3>[1] = scoped;
  if (keys.priv && protocols?.privacy) {
    const salt = protocols.privacy.protocol === 'des' ? desSalt(header.usm.engineBoots, randomInt(0, 2 ** 32 - 1)) : randomBytes(8);
    header.usm.privacyParameters = salt;
    body = { encryptedPdu: encryptScopedPdu(protocols.privacy.protocol, keys.priv, header.usm, salt, encodeScopedPdu(scoped)) };
  }
  let request = encodeV3(header, body);
  if (keys.auth && protocols) {
    const { tagLength } = AUTH_PROTOCOLS[protocols.authProtocol];
    const tag = authenticationTag(encodeV3({ ...header, usm: { ...header.usm, authParameters: Buffer.alloc(tagLength) } }, body), keys.auth, protocols.authProtocol);
    request = encodeV3({ ...header, usm: { ...header.usm, authParameters: tag } }, body);
  }
  const security = protocols ? `${level}, ${AUTH_PROTOCOLS[protocols.authProtocol].name}${protocols.privacy ? `, ${PRIV_PROTOCOL_NAMES[protocols.privacy.protocol]}` : ''}` : level;
  const sent = `${describeSnmpMessage({ ...header, ...scoped }, '')} (${security}${keys.priv ? '; scoped PDU sent encrypted' : ''})`;

  const answer = await exchangeSnmp(net, probe, request, (m) => m.version === 'v3' && m.messageId === header.messageId);
  const base = { securityLevel: level, resynchronised: false, ignored: answer.ignored, sent, latencyMs: answer.latencyMs };
  const none = (outcome: Snmpv3GetReply['outcome'], detail: string): Exchanged => ({
    outcome,
    counter: null,
    clock: null,
    reply: { ...base, outcome, pdu: null, counter: null, detail, received: detail },
  });
  if (!answer.message || !answer.datagram) {
    if (answer.outcome === 'no-answer' && answer.ignored.length) return none('garbage', `no reply it could read within ${probe.timeoutMs} ms; ${answer.ignored.length} datagram(s) it could not: ${answer.ignored[0]}`);
    return none(answer.outcome === 'aborted' ? 'aborted' : 'no-answer', answer.detail);
  }
  return readReply(answer.message as V3Message | EncryptedV3Message, answer.datagram, keys, protocols, base);
}

function readReply(
  message: V3Message | EncryptedV3Message,
  datagram: Buffer,
  keys: Keys,
  protocols: Snmpv3User | null,
  base: Pick<Snmpv3GetReply, 'securityLevel' | 'resynchronised' | 'ignored' | 'sent' | 'latencyMs'>,
): Exchanged {
  const authenticated = (message.flags & AUTH_FLAG) !== 0;
  const garbage = (detail: string, received: string): Exchanged => ({ outcome: 'garbage', counter: null, clock: null, reply: { ...base, outcome: 'garbage', pdu: null, counter: null, detail, received } });
  const header = `SNMPv3 msgID=${message.messageId} flags=0x${message.flags.toString(16).padStart(2, '0')} engineID=${message.usm.engineId.toString('hex') || '(empty)'} user=${JSON.stringify(message.usm.userName)}`;
  if (authenticated) {
    if (!keys.auth || !protocols) return garbage('an authenticated reply to a request that had no key', `${header} (authenticated; no key to verify it)`);
    if (!verifyAuthentication(datagram, message.usm.authParameters ?? Buffer.alloc(0), keys.auth, protocols.authProtocol)) {
      return garbage('a reply whose authentication tag does not verify with the user\'s key', `${header} (tag does not verify)`);
    }
  }
  let plain: V3Message;
  if ('encryptedPdu' in message) {
    if (!keys.priv || !protocols?.privacy || !authenticated) return garbage('an encrypted reply jcstar has no key for', `${header} (encrypted scoped PDU, ${message.encryptedPdu.length} octets)`);
    const decrypted = decryptScopedPdu(protocols.privacy.protocol, keys.priv, message.usm, message.usm.privacyParameters, message.encryptedPdu);
    if (!Buffer.isBuffer(decrypted)) return garbage(`an encrypted reply that cannot be decrypted: ${decrypted.error}`, `${header} (${decrypted.error})`);
    try {
      plain = { ...message, ...decodeScopedPdu(decrypted) };
    } catch (err) {
      return garbage(`an encrypted reply that does not decrypt to a scoped PDU (${(err as Error).message})`, `${header} (decrypted to ${decrypted.length} octets that are not a scoped PDU)`);
    }
  } else plain = message;
  const received = `${describeSnmpMessage(plain, '')}${'encryptedPdu' in message ? ' (decrypted)' : ''}${authenticated ? ' (tag verified)' : ''}`;
  const { pdu } = plain;
  if (pdu.type === 'report') {
    const counter = counterOf(pdu);
    return {
      outcome: 'report',
      counter,
      clock: counter === 'notInTimeWindows' ? { engineBoots: plain.usm.engineBoots, engineTime: plain.usm.engineTime } : null,
      reply: { ...base, outcome: 'report', pdu, counter, detail: `Report ${counter ? `usmStats${counter[0]!.toUpperCase()}${counter.slice(1)}` : pdu.varbinds[0]?.oid ?? '(no varbind)'}`, received },
    };
  }
  // A GetResponse counts only at the level asked for: one without the tag could come from anyone.
  if (pdu.type !== 'get-response') return garbage(`a ${pdu.type} in reply to a GetRequest`, received);
  if (keys.auth && !authenticated) return garbage('a GetResponse without authentication to an authenticated request', received);
  if (keys.priv && !('encryptedPdu' in message)) return garbage('a GetResponse in plaintext to an encrypted request', received);
  return { outcome: 'answered', counter: null, clock: null, reply: { ...base, outcome: 'answered', pdu, counter: null, detail: `GetResponse error-status=${pdu.errorStatus}`, received } };
}
