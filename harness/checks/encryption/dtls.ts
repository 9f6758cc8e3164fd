import { cryptoRulesRef, type EffectiveCryptoRules } from '../../crypto/effective.js';
import { judgeDtls } from '../../crypto/judge-dtls.js';
import { probeDtls } from '../../probes/dtls/probe.js';
import type { DtlsObservation } from '../../probes/tls/observation.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { trustAnchorsOf } from './trust-anchors.js';
import { describeOffered, versionTable } from './version-table.js';
import { serverNameOf } from './server-name.js';
import { judged, type CryptoJudgeKind, type CryptoJudgement } from './judged.js';

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
  const cookie = describeCookie(observed);
  const observation = ctx.evidence.record({
    kind: 'observation',
    summary: `DTLS on ${service.port}/udp: ${describeOffered(observed.versions)}; ${cookie}; ${observed.datagrams} datagrams in ${observed.durationMs} ms`,
    target: ctx.target,
    data: { rules, judge: 'dtls' satisfies CryptoJudgeKind, service: service.name, ...observed, table: versionTable(`DTLS on ${service.port}/udp`, observed.versions) },
    artifacts: [hellos],
  });
  if (offered.length === 0) return inconclusive(`${service.name}: the port answered but accepted no DTLS version (evidence #${observation.seq})`);
  const { findings, passReason } = judgeDtlsService(observed, ctx.crypto, service.name, observation.seq);
  return judged(ctx, findings, observation.seq, passReason);
}

/** The judging half of the check; `jcstar report --rules` runs it again on the stored observation. */
export function judgeDtlsService(observed: DtlsObservation, rules: EffectiveCryptoRules, serviceName: string, observationSeq: number): CryptoJudgement {
  return {
    findings: judgeDtls(observed, rules),
    passReason: `${serviceName}: every DTLS version and suite accepted passes the rules; ${describeCookie(observed)} (evidence #${observationSeq})`,
  };
}

function describeCookie(observed: DtlsObservation): string {
  return observed.helloVerifyRequest.sent ? `HelloVerifyRequest with a ${observed.helloVerifyRequest.cookieBytes}-byte cookie` : 'no HelloVerifyRequest (no cookie exchange)';
}
