import { SUBACK_FAILURE, connackName, probeMqttAnonymous, type MqttAnonymousResult } from '../../probes/mqtt/anonymous.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { judgeAccess, subjectOf, type Trial } from './judge.js';

/** Long enough for retained messages and a broker's periodic $SYS updates to start arriving. */
const LISTEN_MS = 1500;
/** CONNACK return codes that refuse the client's (absent) credentials. */
const AUTH_REFUSALS = [4, 5];

function trialsOf(result: MqttAnonymousResult, seq: number): Trial[] {
  if (result.outcome === 'error') return [{ resource: 'anonymous CONNECT', reach: 'unanswered', protected: true, answer: result.detail, seq }];
  if (result.outcome === 'refused') {
    const code = result.connackCode!;
    return [{ resource: 'anonymous CONNECT', reach: AUTH_REFUSALS.includes(code) ? 'refused' : 'other', protected: true, answer: `CONNACK ${code} (${connackName(code)})`, seq }];
  }
  return result.subscriptions.map(({ filter, code }) => ({
    resource: filter,
    reach: code === null ? 'unanswered' : code === SUBACK_FAILURE ? 'refused' : 'reached',
    protected: false,
    answer: code === null ? 'no SUBACK' : code === SUBACK_FAILURE ? 'SUBACK failure 0x80' : `SUBACK granted QoS ${code}, ${result.messageCount} message(s) in ${LISTEN_MS} ms`,
    seq,
  }));
}

/** S1.1-01 on an MQTT broker: CONNECT with no credentials; if accepted, SUBSCRIBE to # and $SYS/#. */
export async function checkMqttAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const result = await probeMqttAnonymous(ctx.net, {
    host: ctx.profile.target.address,
    port: service.port,
    tls: service.protocol === 'mqtts',
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
    listenMs: LISTEN_MS,
  });
  const evidence = ctx.evidence.record({
    kind: 'observation',
    summary: `anonymous MQTT CONNECT → ${result.detail}${result.subscriptions.map((s) => `; SUBSCRIBE ${s.filter} → ${s.code === null ? 'no SUBACK' : s.code === SUBACK_FAILURE ? 'failure' : `QoS ${s.code}`}`).join('')}`,
    target: ctx.target,
    sent: result.sent,
    received: result.received,
    data: {
      outcome: result.outcome,
      connackCode: result.connackCode,
      subscriptions: result.subscriptions,
      messageCount: result.messageCount,
      topics: [...new Set(result.messages.map((m) => m.topic))],
      messages: result.messages,
    },
  });
  const trials = trialsOf(result, evidence.seq);
  const outcome = judgeAccess(ctx, subjectOf(service), trials);
  if (result.outcome === 'accepted' && outcome.verdict === 'PASS' && trials.every((t) => t.reach !== 'reached')) {
    return inconclusive(
      `${service.name} accepted an anonymous CONNECT (CONNACK 0) but refused SUBSCRIBE to ${trials.map((t) => t.resource).join(' and ')} (evidence #${evidence.seq}); ` +
        'whether anonymous clients may publish was not tried, since that writes to the device',
    );
  }
  return outcome;
}
