import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { MqttClient, ReasonCodes } from 'mqtt';
import type { ClientCertificate, GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { capReceived } from './received-cap.js';

export interface MqttConnectProbe {
  host: string;
  port: number;
  tls: boolean;
  /** Presented behind mutual TLS (a broker with require_certificate). */
  clientCertificate?: ClientCertificate;
  /** 4 = MQTT 3.1.1, 5 = MQTT 5.0 */
  protocolVersion: 4 | 5;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

/** A CONNACK is a few bytes, a few KB with MQTT 5.0 properties: anything far beyond is not one. */
const CONNACK_LIMIT = 64 * 1024;
/** CONNACK codes that mean "these credentials are refused": 3.1.1 return codes 4/5, 5.0 reason codes 0x86/0x87. */
const AUTH_REFUSALS: Record<4 | 5, number[]> = { 4: [4, 5], 5: [134, 135] };
/** MQTT 5.0 reason codes by which a broker holds a client off: banned, quota exceeded, connection rate exceeded. */
const LOCKOUT_CODES = [138, 151, 159];
const RETURN_CODES_311: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

function codeName(version: 4 | 5, code: number): string {
  return (version === 4 ? RETURN_CODES_311[code] : (ReasonCodes as Record<number, string>)[code]) ?? 'unknown';
}

/** One MQTT CONNECT with a username and password, judged by the CONNACK return or reason code. */
export async function probeMqttConnect(net: GuardedNetwork, probe: MqttConnectProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const { username, password } = probe.credential;
  const clientId = `jcstar-${randomBytes(4).toString('hex')}`;
  const sent = `CONNECT protocol=MQTT ${probe.protocolVersion === 5 ? '5.0' : '3.1.1'} clientId=${clientId} username=${username} password=${password} cleanSession=true`;
  const observe = (outcome: AuthObservation['outcome'], detail: string, received: string, failure?: AuthObservation['failure']): AuthObservation => ({
    outcome,
    detail,
    latencyMs: elapsed(started),
    sent,
    received,
    ...(failure ? { failure } : {}),
  });

  let stream: Duplex;
  try {
    stream = await net.connectStream(probe.host, probe.port, { tls: probe.tls, clientCertificate: probe.clientCertificate, signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return observe('error', e.message, '', e.failure);
  }

  return new Promise<AuthObservation>((resolve) => {
    const client = new MqttClient(() => stream, {
      protocolVersion: probe.protocolVersion,
      clientId,
      username,
      password: password.reveal(),
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: probe.timeoutMs,
      keepalive: 0,
    });
    const cap = capReceived(stream, CONNACK_LIMIT);
    let settled = false;
    const settle = (obs: AuthObservation) => {
      if (settled) return;
      settled = true;
      probe.signal.removeEventListener('abort', onAbort);
      client.end(true);
      stream.destroy();
      resolve(obs);
    };
    const onAbort = () => settle(observe('error', 'aborted', '', 'aborted'));
    probe.signal.addEventListener('abort', onAbort, { once: true });
    client.on('connect', (connack) => {
      const code = probe.protocolVersion === 5 ? (connack.reasonCode ?? 0) : (connack.returnCode ?? 0);
      settle(observe('accepted', 'CONNACK accepted', `CONNACK code=${code} sessionPresent=${connack.sessionPresent}`));
    });
    client.on('error', (err: Error & { code?: number | string }) => {
      if (typeof err.code === 'number') {
        const received = `CONNACK code=${err.code} (${codeName(probe.protocolVersion, err.code)})`;
        if (AUTH_REFUSALS[probe.protocolVersion].includes(err.code)) settle(observe('rejected', received, received));
        else if (probe.protocolVersion === 5 && LOCKOUT_CODES.includes(err.code)) settle({ ...observe('locked', received, received), lockoutSignal: received });
        else settle(observe('error', received, received, 'protocol'));
        return;
      }
      const e = classifyNetError(err);
      settle(observe('error', e.message, '', e.failure));
    });
    client.on('close', () => {
      const exceeded = cap.exceeded();
      settle(exceeded ? observe('error', exceeded, '', 'protocol') : observe('error', 'connection closed without a CONNACK', '', 'closed'));
    });
  });
}
