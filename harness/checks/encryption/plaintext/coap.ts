import { DISCOVERY_PATH, probeCoapResources, type CoapResourceReply } from '../../../probes/coap/discovery.js';
import type { Service } from '../../../profile/types.js';
import type { CheckContext } from '../../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../../verdicts/outcome.js';

/** Declared paths tried when discovery stays silent. */
const MAX_PATHS = 4;

function answerOf(fetched: CoapResourceReply): string {
  return fetched.reply.outcome === 'answered' ? fetched.reply.code : fetched.reply.detail;
}

/**
 * S1.1-12 on a CoAP service without DTLS: GET /.well-known/core (and the declared paths). Plain CoAP has
 * no other protection, so every resource it lists or answers for crosses the network in the clear: FAIL
 * unless each is declared public with a justification (a liveness flag, say), which carries no asset.
 * The listed resources are not fetched.
 */
export async function checkCoapPlaintext(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const found = await probeCoapResources(ctx.net, {
    host: ctx.profile.target.address,
    port: service.port,
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
    maxResources: 0,
    paths: (service.paths ?? []).slice(0, MAX_PATHS),
  });
  const fetched = [found.discovery, ...found.resources].map((f) => ({
    fetched: f,
    seq: ctx.evidence.record({
      kind: 'exchange',
      summary: `CoAP GET ${f.path} over plain UDP (no DTLS) → ${answerOf(f)}`,
      target: ctx.target,
      sent: f.sent,
      received: f.received,
      data: { path: f.path, answered: f.reply.outcome === 'answered', code: f.reply.outcome === 'answered' ? f.reply.code : null, latencyMs: f.latencyMs },
    }).seq,
  }));
  const answered = fetched.filter((f) => f.fetched.reply.outcome === 'answered');
  const list = (items: typeof fetched) => items.map((f) => `GET ${f.fetched.path} → ${answerOf(f.fetched)} (evidence #${f.seq})`).join(', ');
  if (answered.length) {
    const isPublic = (path: string) => (service.public ?? []).some((p) => p.resource === path);
    const listed = found.links.map((l) => l.target).filter((t) => t !== DISCOVERY_PATH);
    const served = answered.filter((f) => f.fetched.path !== DISCOVERY_PATH).map((f) => f.fetched.path);
    const exposed = [...new Set([...listed, ...served])].filter((path) => !isPublic(path));
    if (exposed.length === 0 && listed.length > 0) {
      return pass(`${service.name}: CoAP without DTLS on ${service.port}/udp serves only resources declared public (${listed.join(', ')}): ${list(answered)}`);
    }
    const which = exposed.length ? ` resources not declared public: ${exposed.join(', ')};` : '';
    return fail(`${service.name}: CoAP without DTLS answers on ${service.port}/udp;${which} ${list(answered)}`);
  }
  // UDP has no connection to refuse: a closed port and a silent device look the same.
  return inconclusive(`${service.name}: no CoAP answer on ${service.port}/udp: ${list(fetched)}`);
}
