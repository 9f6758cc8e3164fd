import { randomBytes } from 'node:crypto';
import type { Recogniser } from '../recogniser.js';

const CONNACK = 0x20;
/** MQTT 3.1.1 return codes 4/5, MQTT 5.0 reason codes 0x86/0x87: the broker wants credentials. */
const CREDENTIALS_WANTED = [4, 5, 0x86, 0x87];

/** CONNECT, MQTT 3.1.1 (OASIS §3.1): clean session, no will, no user name or password. */
function connect(): Buffer {
  const clientId = Buffer.from(`jcstar-${randomBytes(4).toString('hex')}`);
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x1e]);
  const payload = Buffer.concat([Buffer.from([clientId.length >> 8, clientId.length & 0xff]), clientId]);
  return Buffer.concat([Buffer.from([0x10, variable.length + payload.length]), variable, payload]);
}

/** The CONNACK's return code (3.1.1: 2 bytes; 5.0: flags, reason code, properties), or null when this is not one. */
function connackCode(reply: Buffer): number | null {
  if (reply.length < 4 || reply[0] !== CONNACK) return null;
  const length = reply[1] ?? 0;
  const flags = reply[2] ?? 0xff;
  if (length < 2 || length > 127 || flags > 1) return null;
  return reply[3] ?? null;
}

/** A broker answers CONNECT with CONNACK; without credentials, the code says whether it wants some. */
export const mqtt: Recogniser = {
  service: 'mqtt',
  probe: { name: 'mqtt CONNECT', payload: connect, complete: (reply) => reply.length >= 4 },
  recognises: (reply, probe) => probe === 'mqtt CONNECT' && connackCode(reply) !== null,
  async describe(reply, s) {
    const code = connackCode(reply);
    s.identity.service = 'mqtt';
    s.speaks('mqtt', 'mqtts');
    s.identity.banner = `CONNACK ${code}`;
    s.identity.details['mqtt.connack'] = String(code);
    s.identity.auth = code === 0 ? 'none' : code !== null && CREDENTIALS_WANTED.includes(code) ? 'password' : null;
    if (code === 0) s.identity.details['mqtt.anonymous'] = 'CONNECT without credentials was accepted';
  },
};
