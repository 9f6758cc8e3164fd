import { DISCOVERY_PATH, probeCoapResources, type CoapReply, type CoapResourceReply } from '../../probes/coap/discovery.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';
import { judgeAccess, subjectOf, type Reach, type Trial } from './judge.js';

const MAX_RESOURCES = 20;

function reachOf(reply: CoapReply): Reach {
  if (reply.outcome !== 'answered') return 'unanswered';
  if (reply.code.startsWith('2.')) return 'reached';
  if (reply.code === '4.01' || reply.code === '4.03') return 'refused';
  if (reply.code === '4.04') return 'absent';
  return 'other';
}

function answerOf(reply: CoapReply): string {
  return reply.outcome === 'answered' ? `${reply.code}${reply.contentFormat ? ` ${reply.contentFormat}` : ''}` : reply.detail;
}

function record(ctx: CheckContext, role: string, fetched: CoapResourceReply): number {
  return ctx.evidence.record({
    kind: 'observation',
    summary: `${role}: GET ${fetched.path} without credentials → ${answerOf(fetched.reply)}`,
    target: ctx.target,
    sent: fetched.sent,
    received: fetched.received,
    data: { resource: fetched.path, role, reach: reachOf(fetched.reply), code: fetched.reply.outcome === 'answered' ? fetched.reply.code : null, latencyMs: fetched.latencyMs },
  }).seq;
}

/**
 * S1.1-01 on a CoAP service: GET /.well-known/core, then each resource it lists and each declared path.
 * Discovery answering 2.05 is not judged: RFC 6690 makes the resource list public by design.
 */
export async function checkCoapAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const found = await probeCoapResources(ctx.net, {
    host: ctx.profile.target.address,
    port: service.port,
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
    maxResources: MAX_RESOURCES,
    paths: service.paths ?? [],
  });
  const discoverySeq = record(ctx, 'discovery', found.discovery);
  if (found.links.length || found.skipped.length) {
    ctx.evidence.record({
      kind: 'note',
      summary: `${DISCOVERY_PATH} lists ${found.links.length} link(s)${found.skipped.length ? `; not fetched (another host, past ${MAX_RESOURCES}, or no answers any more): ${found.skipped.join(', ')}` : ''}`,
      target: ctx.target,
      data: { links: found.links, skipped: found.skipped },
    });
  }
  const trials: Trial[] = [];
  const discoveryReach = reachOf(found.discovery.reply);
  if (discoveryReach !== 'reached') {
    // UDP has no connection to refuse: a device that does not answer and a closed port look the same.
    const answer = found.discovery.reply.outcome === 'answered' ? answerOf(found.discovery.reply) : `${answerOf(found.discovery.reply)} (UDP: no answer)`;
    trials.push({ resource: DISCOVERY_PATH, reach: discoveryReach, protected: false, answer, seq: discoverySeq });
  }
  for (const resource of found.resources) {
    trials.push({ resource: resource.path, reach: reachOf(resource.reply), protected: false, answer: answerOf(resource.reply), seq: record(ctx, 'resource', resource) });
  }
  return judgeAccess(ctx, subjectOf(service), trials, `${DISCOVERY_PATH} lists no resource; declare the protected ones under services[].paths`);
}
