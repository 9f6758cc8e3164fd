import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { MqttClient } from 'mqtt';
import { classifyNetError } from '../../net/errors.js';
import { SUBACK_FAILURE, connackName } from '../mqtt/anonymous.js';
import { capReceived } from '../mqtt/received-cap.js';
import { ANSWER_LIMIT, boundedText, urlHost, type ChannelRead, type ChannelTarget } from './channel.js';

/** A retained version message is small; the cap only has to stop a broker that sends without end. */
const RECEIVED_LIMIT = ANSWER_LIMIT + 16 * 1024;

type Failed = { ok: false; reason: string };

/**
 * MQTT 3.1.1 CONNECT with the service's declared username and password (none when it declares
 * auth none; over TLS with the credential's client certificate when it has one), SUBSCRIBE to `topic`, and the first message published on it (the retained one comes at
 * once), each wait within the reply timeout. Never publishes.
 */
export async function readOverMqtt({ ctx, host, service, credential }: ChannelTarget, topic: string): Promise<ChannelRead> {
  const tls = service.protocol === 'mqtts';
  const method = `MQTT SUBSCRIBE ${topic} at ${tls ? 'mqtts' : 'mqtt'}://${urlHost(host)}:${service.port}`;
  const timeoutMs = ctx.policy.budgets.replyTimeoutMs;
  const clientId = `jcstar-${randomBytes(4).toString('hex')}`;
  const login = service.auth === 'none' ? null : credential?.password && credential.username !== undefined ? { username: credential.username, password: credential.password } : undefined;
  const sent: string[] = [`CONNECT protocol=MQTT 3.1.1 clientId=${clientId} ${login ? `username=${login.username} password=${login.password}` : '(no username, no password)'} cleanSession=true`];
  const received: string[] = [];
  const read = (answer: ChannelRead['answer']): ChannelRead => ({ method, answer, sent: sent.join('\n'), received: received.join('\n') });
  if (login === undefined) return read({ reason: `${service.name} declares ${service.auth} authentication but no credential with a username and password` });

  let stream: Duplex;
  try {
    if (login) await ctx.net.authAttempt(ctx.signal);
    const clientCertificate = tls && credential?.clientCertificate && credential.clientKey ? { certificate: credential.clientCertificate, key: credential.clientKey } : undefined;
    stream = await ctx.net.connectStream(host, service.port, { tls, clientCertificate, signal: ctx.signal, timeoutMs });
  } catch (err) {
    return read({ reason: `${method}: ${classifyNetError(err).message}` });
  }
  const client = new MqttClient(() => stream, {
    protocolVersion: 4,
    clientId,
    ...(login ? { username: login.username, password: login.password.reveal() } : {}),
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    keepalive: 0,
  });
  const cap = capReceived(stream, RECEIVED_LIMIT);
  client.on('error', () => {});
  const wait = <T>(what: string, start: (done: (value: T | Failed) => void) => void): Promise<T | Failed> =>
    new Promise((resolve) => {
      const done = (value: T | Failed) => {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = () => done({ ok: false, reason: 'aborted' });
      const timer = setTimeout(() => done({ ok: false, reason: `no ${what} within ${timeoutMs} ms` }), timeoutMs);
      if (ctx.signal.aborted) return onAbort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      client.once('close', () => done({ ok: false, reason: cap.exceeded() ?? `the broker closed the connection before the ${what}` }));
      start(done);
    });
  try {
    const connack = await wait<{ code: number }>('CONNACK', (done) => {
      client.once('connect', (packet) => done({ code: packet.returnCode ?? 0 }));
      client.once('error', (err: Error & { code?: number | string }) => done(typeof err.code === 'number' ? { code: err.code } : { ok: false, reason: classifyNetError(err).message }));
    });
    if ('ok' in connack) return read({ reason: `${method}: ${connack.reason}` });
    received.push(`CONNACK code=${connack.code} (${connackName(connack.code)})`);
    if (connack.code !== 0) return read({ reason: `the broker refused the declared credential: CONNACK ${connack.code} (${connackName(connack.code)})` });

    sent.push(`SUBSCRIBE ${topic} QoS 0`);
    const message = await wait<{ payload: Buffer; retained: boolean }>('message on the topic', (done) => {
      client.on('message', (_topic, payload, packet) => done({ payload, retained: packet.retain }));
      client.subscribe(topic, { qos: 0 }, (_err, granted) => {
        const code = granted?.[0]?.qos;
        received.push(code === undefined ? `no SUBACK for ${topic}` : `SUBACK ${topic} ${code === SUBACK_FAILURE ? 'failure (0x80)' : `granted QoS ${code}`}`);
        if (code === SUBACK_FAILURE) done({ ok: false, reason: `the broker refused the subscription to ${topic} (SUBACK 0x80)` });
      });
    });
    if ('ok' in message) return read({ reason: `${method}: ${message.reason}` });
    const answer = boundedText(message.payload);
    received.push(`PUBLISH ${topic}${message.retained ? ' (retained)' : ''} ${message.payload.length} bytes ${JSON.stringify(answer.text.slice(0, 200))}`);
    return read(answer);
  } finally {
    client.end(true);
    stream.destroy();
  }
}
