import { randomBytes } from 'node:crypto';
import { probeMqttConnect } from '../../../probes/mqtt/connect-auth.js';
import type { Service } from '../../../profile/types.js';
import type { CheckContext } from '../../../suite/context.js';
import { fail, inconclusive, type CheckOutcome } from '../../../verdicts/outcome.js';
import { randomPassword } from '../../login-attempts.js';

const CONNACK = /^CONNACK code=(\d+)/;

/**
 * S1.1-12 on a plain-MQTT port: a CONNECT with a random username and password (never the real one). Any
 * CONNACK shows a broker that takes credentials, and carries every message, without TLS.
 */
export async function checkMqttPlaintext(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const credential = { username: `jcstar-${randomBytes(4).toString('hex')}`, password: randomPassword('random-password') };
  await ctx.net.authAttempt(ctx.signal);
  const observation = await probeMqttConnect(ctx.net, {
    host: ctx.profile.target.address,
    port: service.port,
    tls: false,
    protocolVersion: 4,
    credential,
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
  });
  const code = CONNACK.exec(observation.received)?.[1];
  const evidence = ctx.evidence.record({
    kind: 'exchange',
    summary: `MQTT CONNECT without TLS, random username and password → ${observation.detail}`,
    target: ctx.target,
    sent: observation.sent,
    received: observation.received,
    data: { port: service.port, tls: false, username: credential.username, outcome: observation.outcome, connackCode: code === undefined ? null : Number(code), latencyMs: observation.latencyMs },
  });
  const where = `${service.port}/tcp without TLS`;
  if (code === undefined) return inconclusive(`${service.name}: no CONNACK on ${where} (${observation.detail}; evidence #${evidence.seq}), so whether it speaks MQTT in plaintext is unknown`);
  const what = observation.outcome === 'accepted'
    ? 'accepted a random username and password (CONNACK 0)'
    : `checked a username and password sent in plaintext (${observation.received})`;
  return fail(`${service.name}: the MQTT broker answers CONNECT on ${where} and ${what} (evidence #${evidence.seq}): credentials and messages travel unencrypted`);
}
