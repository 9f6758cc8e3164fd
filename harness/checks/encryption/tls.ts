import { cryptoRulesRef, type EffectiveCryptoRules } from '../../crypto/effective.js';
import { judgeTls } from '../../crypto/judge-tls.js';
import { probeHsts } from '../../probes/http/hsts.js';
import type { TlsObservation } from '../../probes/tls/observation.js';
import { probeTls } from '../../probes/tls/probe.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, notApplicable, type CheckOutcome } from '../../verdicts/outcome.js';
import { trustAnchorsOf } from './trust-anchors.js';
import { describeCertificate, describeOffered, versionTable } from './version-table.js';
import { serverNameOf } from './server-name.js';
import { judged, type CryptoJudgeKind, type CryptoJudgement } from './judged.js';

/** How TLS is reached on a service: implicit TLS, or FTP's AUTH TLS upgrade of the control channel. */
export function tlsTransport(service: Service): TlsObservation['transport'] {
  return service.protocol === 'ftp' ? 'ftp-auth-tls' : 'implicit';
}

/**
 * S1.1-12 on a TLS service (HTTPS, MQTT over TLS, RTSPS, FTPS, or FTP's AUTH TLS): versions, suites,
 * groups, DHE primes, certificate chain, renegotiation and compression, judged against the crypto rules.
 * FAIL names each offending item; the evidence keeps the per-version table and every hello's answer.
 */
export async function checkTlsCrypto(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const host = ctx.profile.target.address;
  const rules = cryptoRulesRef(ctx.crypto);
  const transcript: string[] = [];
  const observed = await probeTls(ctx.net, {
    host,
    port: service.port,
    serverName: serverNameOf(ctx.profile) ?? null,
    transport: tlsTransport(service),
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
    signal: ctx.signal,
    now: new Date(),
    trustAnchors: trustAnchorsOf(service),
    onAttempt: (line) => transcript.push(line),
  });
  const handshakes = { name: `tls-${service.port}-hellos.txt`, bytes: `${transcript.join('\n')}\n`, mediaType: 'text/plain' };
  if (observed.outcome === 'error') {
    ctx.evidence.record({
      kind: 'observation',
      summary: `TLS on ${service.port}/tcp not graded after ${observed.handshakes} hello(s): ${observed.failure}: ${observed.detail}`,
      target: ctx.target,
      data: { rules, failure: observed.failure, detail: observed.detail },
      artifacts: [handshakes],
    });
    // Only a readable refusal of AUTH TLS is a fact; a greeting or reply jcstar could not read, or out of turn, is not.
    if (observed.failure === 'starttls-refused') {
      return notApplicable(`${service.name}: the FTP server does not offer AUTH TLS (${observed.detail}); the plaintext check judges this channel`);
    }
    return inconclusive(`${service.name}: TLS could not be graded (${observed.failure}: ${observed.detail})`);
  }

  const offered = observed.versions.filter((v) => v.offered);
  const chain = observed.certificateChain;
  const observation = ctx.evidence.record({
    kind: 'observation',
    summary:
      `TLS on ${service.port}/tcp: ${describeOffered(observed.versions)}; ` +
      `groups ${observed.groups.map((g) => g.name).join(' ') || 'none'}; ` +
      `certificate ${describeCertificate(chain, observed.certificateMessage)}; ` +
      observed.otherCertificates.map((o) => `${o.kind} suites' certificate ${describeCertificate(o.certificateChain, o.certificateMessage)}; `).join('') +
      `${observed.handshakes} hellos in ${observed.durationMs} ms`,
    target: ctx.target,
    data: { rules, judge: 'tls' satisfies CryptoJudgeKind, service: service.name, ...observed, table: versionTable(`TLS on ${service.port}/tcp`, observed.versions) },
    artifacts: [handshakes],
  });
  if (service.protocol === 'https' && offered.length > 0) await recordHsts(ctx, service);
  if (offered.length === 0) {
    return inconclusive(`${service.name}: the port took connections but accepted no TLS or SSL version (evidence #${observation.seq})`);
  }

  const { findings, passReason } = judgeTlsService(observed, ctx.crypto, service.name, observation.seq);
  return judged(ctx, findings, observation.seq, passReason);
}

/** The judging half of the check; `jcstar report --rules` runs it again on the stored observation. */
export function judgeTlsService(observed: TlsObservation, rules: EffectiveCryptoRules, serviceName: string, observationSeq: number): CryptoJudgement {
  const noChain = observed.certificateChain ? '' : '; no certificate to judge (PSK suites only)';
  const certificates = observed.otherCertificates.length > 0 ? `certificates of ${observed.otherCertificates.length + 1} kinds of suite` : 'certificate';
  return {
    findings: judgeTls(observed, rules),
    passReason: `${serviceName}: every TLS version, suite and group accepted and the ${certificates} pass the rules (evidence #${observationSeq})${noChain}`,
  };
}

/** HSTS is recorded, not judged: browsers ignore it on IP-literal hosts (RFC 6797 §8.1), which is how most devices are reached. */
async function recordHsts(ctx: CheckContext, service: Service): Promise<void> {
  const hsts = await probeHsts(ctx.net, { host: ctx.profile.target.address, port: service.port, path: '/', serverName: serverNameOf(ctx.profile), timeoutMs: ctx.policy.budgets.replyTimeoutMs, signal: ctx.signal });
  ctx.evidence.record({
    kind: 'exchange',
    summary:
      hsts.outcome === 'observed'
        ? `HSTS on ${service.port}/tcp: ${hsts.header === null ? 'no Strict-Transport-Security header' : `${hsts.header}${hsts.maxAgeSeconds === null ? ' (malformed: ignored by browsers)' : ''}`} (status ${hsts.status}; informational)`
        : `HSTS not read: ${hsts.failure}: ${hsts.detail}`,
    target: ctx.target,
    sent: hsts.sent,
    received: hsts.received,
    data: hsts.outcome === 'observed' ? { header: hsts.header, maxAgeSeconds: hsts.maxAgeSeconds, includeSubDomains: hsts.includeSubDomains, preload: hsts.preload } : { failure: hsts.failure },
  });
}
