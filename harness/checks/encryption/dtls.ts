import { cryptoRulesRef } from '../../crypto/effective.js';
import { judgeDtls } from '../../crypto/judge-dtls.js';
import { probeDtls } from '../../probes/dtls/probe.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { trustAnchorsOf } from './trust-anchors.js';
import { describeOffered, versionTable } from './version-table.js';
import { serverNameOf } from './server-name.js';
import { judged } from './judged.js';

/**
 * S1.1-12 on a DTLS service (CoAPS): versions, suites, the cookie exchange and any certificate chain,
 * judged against the crypto rules. A declared DTLS port that answers in plaintext CoAP FAILs: whatever
 * it carries travels in the clear.
 */
export async function checkDtlsCrypto(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const host = ctx.profile.target.address;
  const rules = cryptoRulesRef(ctx.crypto);
  const transcript: string[] = [];
  const observed = await probeDtls(ctx.net, {
    host,
    port: service.port,
    serverName: serverNameOf(ctx.profile) ?? null,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
    signal: ctx.signal,
    now: new Date(),
    trustAnchors: trustAnchorsOf(service),
    onAttempt: (line) => transcript.push(line),
  });
  const hellos = { name: `dtls-${service.port}-hellos.txt`, bytes: `${transcript.join('\n')}\n`, mediaType: 'text/plain' };
  if (observed.outcome === 'error') {
    const evidence = ctx.evidence.record({
      kind: 'observation',
      summary: `DTLS on ${service.port}/udp not graded after ${observed.datagrams} datagram(s): ${observed.failure}: ${observed.detail}`,
      target: ctx.target,
      data: { rules, failure: observed.failure, detail: observed.detail },
      artifacts: [hellos],
    });
    if (observed.failure === 'not-dtls') {
      return fail(`${service.name}: ${service.port}/udp answers, but not in DTLS (${observed.detail}); its traffic is not encrypted (evidence #${evidence.seq})`);
    }
    return inconclusive(`${service.name}: DTLS could not be graded (${observed.failure}: ${observed.detail})`);
  }
  const offered = observed.versions.filter((v) => v.offered);
  const cookie = observed.helloVerifyRequest.sent ? `HelloVerifyRequest with a ${observed.helloVerifyRequest.cookieBytes}-byte cookie` : 'no HelloVerifyRequest (no cookie exchange)';
  const observation = ctx.evidence.record({
    kind: 'observation',
    summary: `DTLS on ${service.port}/udp: ${describeOffered(observed.versions)}; ${cookie}; ${observed.datagrams} datagrams in ${observed.durationMs} ms`,
    target: ctx.target,
    data: { rules, ...observed, table: versionTable(`DTLS on ${service.port}/udp`, observed.versions) },
    artifacts: [hellos],
  });
  if (offered.length === 0) return inconclusive(`${service.name}: the port answered but accepted no DTLS version (evidence #${observation.seq})`);
  const findings = judgeDtls(observed, ctx.crypto);
  return judged(ctx, findings, observation.seq, `${service.name}: every DTLS version and suite accepted passes the rules; ${cookie} (evidence #${observation.seq})`);
}
