import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { MqttClient } from 'mqtt';
import type { ClientCertificate, GuardedNetwork } from '../../net/network.js';
import { classifyNetError, type NetFailure } from '../../net/errors.js';
import { elapsed } from '../auth-observation.js';
import { capReceived } from './received-cap.js';

export interface MqttAnonymousProbe {
  host: string;
  port: number;
  tls: boolean;
  /** Presented behind mutual TLS (a broker with require_certificate). */
  clientCertificate?: ClientCertificate;
  signal: AbortSignal;
  /** For the connection, the CONNACK and each SUBACK. */
  timeoutMs: number;
  /** How long to collect messages once subscribed. */
  listenMs: number;
}

/** The wildcard filters that read everything a broker carries: every application topic, then the broker's own. */
const WILDCARD_FILTERS = ['#', '$SYS/#'] as const;
/** Messages kept from the listening window; more are only counted. */
const MAX_MESSAGES = 50;
const PAYLOAD_EXCERPT = 64;
/** Bytes read on the connection, CONNACK, SUBACKs and the listening window together; retained messages can be large, but not this. */
const RECEIVED_LIMIT = 4 * 1024 * 1024;
/** SUBACK return code for "failure" (MQTT 3.1.1 §3.9.3). */
export const SUBACK_FAILURE = 0x80;
const REFUSALS: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

export interface MqttSubscription {
  filter: string;
  /** SUBACK return code: granted QoS 0–2, or 0x80; null when no SUBACK came. */
  code: number | null;
}

export interface MqttMessageSeen {
  topic: string;
  retained: boolean;
  bytes: number;
  excerpt: string;
}

export interface MqttAnonymousResult {
  /** refused: a CONNACK with a non-zero return code; error: no CONNACK at all. */
  outcome: 'accepted' | 'refused' | 'error';
  /** CONNACK return code (MQTT 3.1.1), when one came. */
  connackCode: number | null;
  detail: string;
  failure?: NetFailure;
  subscriptions: MqttSubscription[];
  messages: MqttMessageSeen[];
  /** Messages received in the window, kept or not. */
  messageCount: number;
  sent: string;
  received: string;
  latencyMs: number;
}

export function connackName(code: number): string {
  return REFUSALS[code] ?? (code === 0 ? 'accepted' : 'unknown');
}

function excerpt(payload: Buffer): string {
  const head = payload.subarray(0, PAYLOAD_EXCERPT);
  const text = head.toString('utf8');
  // Binary payloads stay readable in a transcript as hex.
  const shown = /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text) ? `hex:${head.toString('hex')}` : JSON.stringify(text);
  return payload.length > PAYLOAD_EXCERPT ? `${shown}…` : shown;
}

/**
 * An MQTT 3.1.1 CONNECT with neither username nor password; if the broker accepts it, a SUBSCRIBE to each
 * wildcard filter in turn, then `listenMs` of listening to what arrives. Never publishes: that would write
 * to the device.
 */
export async function probeMqttAnonymous(net: GuardedNetwork, probe: MqttAnonymousProbe): Promise<MqttAnonymousResult> {
  const started = process.hrtime.bigint();
  const clientId = `jcstar-${randomBytes(4).toString('hex')}`;
  const sent: string[] = [`CONNECT protocol=MQTT 3.1.1 clientId=${clientId} (no username, no password) cleanSession=true`];
  const received: string[] = [];
  const subscriptions: MqttSubscription[] = [];
  const messages: MqttMessageSeen[] = [];
  let messageCount = 0;
  let connackCode: number | null = null;
  const result = (outcome: MqttAnonymousResult['outcome'], detail: string, failure?: NetFailure): MqttAnonymousResult => ({
    outcome,
    connackCode,
    detail,
    ...(failure ? { failure } : {}),
    subscriptions,
    messages,
    messageCount,
    sent: sent.join('\n'),
    received: received.join('\n'),
    latencyMs: elapsed(started),
  });

  let stream: Duplex;
  try {
    stream = await net.connectStream(probe.host, probe.port, { tls: probe.tls, clientCertificate: probe.clientCertificate, signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return result('error', e.message, e.failure);
  }

  const client = new MqttClient(() => stream, {
    protocolVersion: 4,
    clientId,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: probe.timeoutMs,
    keepalive: 0,
  });
  const cap = capReceived(stream, RECEIVED_LIMIT);
  // A late error (a reset after the CONNACK) must not become an uncaught 'error' event.
  client.on('error', () => {});
  client.on('message', (topic, payload, packet) => {
    messageCount++;
    if (messages.length < MAX_MESSAGES) messages.push({ topic, retained: packet.retain, bytes: payload.length, excerpt: excerpt(payload) });
  });

  const ended = new AbortController();
  const onAbort = () => ended.abort();
  probe.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const connack = await new Promise<{ code: number } | { failure: NetFailure; detail: string }>((resolve) => {
      client.once('connect', (packet) => resolve({ code: packet.returnCode ?? 0 }));
      client.once('error', (err: Error & { code?: number | string }) => {
        if (typeof err.code === 'number') resolve({ code: err.code });
        else {
          const e = classifyNetError(err);
          resolve({ failure: e.failure, detail: e.message });
        }
      });
      client.once('close', () => resolve({ failure: cap.exceeded() ? 'protocol' : 'closed', detail: cap.exceeded() ?? 'connection closed without a CONNACK' }));
      ended.signal.addEventListener('abort', () => resolve({ failure: 'aborted', detail: 'aborted' }), { once: true });
    });
    if ('failure' in connack) return result('error', connack.detail, connack.failure);
    connackCode = connack.code;
    received.push(`CONNACK code=${connack.code} (${connackName(connack.code)})`);
    if (connack.code !== 0) return result('refused', `CONNACK ${connack.code} (${connackName(connack.code)})`);

    for (const filter of WILDCARD_FILTERS) {
      if (ended.signal.aborted || !client.connected) break;
      sent.push(`SUBSCRIBE ${filter} QoS 0`);
      const code = await suback(client, filter, probe.timeoutMs, ended.signal);
      subscriptions.push({ filter, code });
      received.push(code === null ? `no SUBACK for ${filter}` : `SUBACK ${filter} ${code === SUBACK_FAILURE ? 'failure (0x80)' : `granted QoS ${code}`}`);
    }
    if (subscriptions.some((s) => s.code !== null && s.code !== SUBACK_FAILURE)) {
      await listen(probe.listenMs, ended.signal);
      received.push(`${messageCount} message(s) in ${probe.listenMs} ms${messageCount > messages.length ? ` (first ${messages.length} kept)` : ''}`);
      const exceeded = cap.exceeded();
      if (exceeded) received.push(exceeded);
      received.push(...messages.map((m) => `PUBLISH ${m.topic}${m.retained ? ' (retained)' : ''} ${m.bytes} bytes ${m.excerpt}`));
    }
    return result('accepted', 'CONNACK 0 (accepted)');
  } finally {
    probe.signal.removeEventListener('abort', onAbort);
    client.end(true);
    stream.destroy();
  }
}

function suback(client: MqttClient, filter: string, timeoutMs: number, signal: AbortSignal): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    const done = (code: number | null) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(code);
    };
    const onAbort = () => done(null);
    signal.addEventListener('abort', onAbort, { once: true });
    client.once('close', () => done(null));
    client.subscribe(filter, { qos: 0 }, (_err, _granted, packet) => {
      const code = packet?.granted[0];
      done(typeof code === 'number' ? code : null);
    });
  });
}

function listen(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
