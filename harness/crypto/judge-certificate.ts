import type { CertificateChainObservation, CertificateObservation } from '../probes/tls/observation.js';
import type { EffectiveCryptoRules } from './effective.js';
import { offending, type CryptoFinding } from './finding.js';

/** The certificate part of a TLS or DTLS observation: the chain's findings, or a review when it could not be read. */
export function judgeServerCertificate(observation: { certificateChain: CertificateChainObservation | null; certificateError: string | null; host: string }, rules: EffectiveCryptoRules): CryptoFinding[] {
  if (observation.certificateError) return [{ rule: 'certificate.readable', item: `certificate unreadable (${observation.certificateError})`, severity: 'review' }];
  return observation.certificateChain ? judgeCertificate(observation.certificateChain, rules, observation.host) : [];
}

/**
 * A server's certificate chain against the certificate rules. Validity is read against the time the
 * probe judged it (`checkedAt`), so re-judging an old observation does not make it expire after the fact.
 */
export function judgeCertificate(chain: CertificateChainObservation, rules: EffectiveCryptoRules, host: string): CryptoFinding[] {
  const [leaf] = chain.certificates;
  if (!leaf) return [];
  const { certificate } = rules;
  const findings: CryptoFinding[] = [];
  const checkedAt = Date.parse(chain.checkedAt);
  const name = (cert: CertificateObservation) => (cert === leaf ? 'certificate' : `chain certificate "${cert.subject}"`);

  const expired = chain.certificates.filter((c) => Date.parse(c.notAfter) < checkedAt);
  if (chain.expired && expired.length === 0) expired.push(leaf);
  for (const cert of expired) findings.push(offending('certificate.validity', `${name(cert)} expired on ${day(cert.notAfter)}`));
  const early = chain.certificates.filter((c) => Date.parse(c.notBefore) > checkedAt);
  if (chain.notYetValid && early.length === 0) early.push(leaf);
  for (const cert of early) findings.push(offending('certificate.validity', `${name(cert)} not valid before ${day(cert.notBefore)}`));

  findings.push(...judgeKey(leaf, rules));

  for (const cert of chain.certificates) {
    // A trust anchor's signature on itself protects nothing; everything else is judged by its signature.
    if (cert !== leaf && cert.selfSigned) continue;
    if (cert.signatureHash !== null && certificate.forbiddenSignatureHashes.includes(cert.signatureHash)) {
      findings.push(offending('certificate.forbiddenSignatureHashes', `${name(cert)} signed with ${cert.signatureHash} (${cert.signatureAlgorithm})`));
    }
  }

  if (chain.anchored === false) {
    const item = `certificate chain not anchored in a trust anchor the profile names${leaf.selfSigned ? ' (self-signed)' : ''}`;
    findings.push({ rule: 'certificate.untrusted', item, severity: certificate.untrusted });
  } else if (chain.anchored === null) {
    // Without an anchor nobody can say whether clients authenticate this server, and eavesdropping
    // protection that a man in the middle can strip is no protection.
    const item = `no trust anchor declared (services[].trustAnchors), so whether clients can authenticate this ${leaf.selfSigned ? 'self-signed ' : ''}certificate is unknown`;
    findings.push({ rule: 'certificate.untrusted', item, severity: certificate.untrusted });
  }
  if (!chain.hostMatches) {
    const names = leaf.subjectAltNames.length > 0 ? leaf.subjectAltNames.join(', ') : leaf.subject;
    findings.push({ rule: 'certificate.hostMismatch', item: `certificate does not name ${host} (it names ${names})`, severity: certificate.hostMismatch });
  }
  return findings;
}

function judgeKey(leaf: CertificateObservation, rules: EffectiveCryptoRules): CryptoFinding[] {
  const { certificate } = rules;
  if (leaf.keyType === 'unknown') return [{ rule: 'certificate.keyTypes', item: 'certificate key of an unknown type', severity: 'review' }];
  if (!certificate.keyTypes.includes(leaf.keyType)) return [offending('certificate.keyTypes', `certificate ${leaf.keyType} key`)];
  const minimum = leaf.keyType === 'RSA' ? { rule: 'certificate.minRsaBits' as const, bits: certificate.minRsaBits } : leaf.keyType === 'EC' ? { rule: 'certificate.minEcBits' as const, bits: certificate.minEcBits } : null;
  if (minimum === null) return [];
  if (leaf.keyBits === null) return [{ rule: minimum.rule, item: `certificate ${leaf.keyType} key of unknown size`, severity: 'review' }];
  if (leaf.keyBits >= minimum.bits) return [];
  return [offending(minimum.rule, `certificate ${leaf.keyType} key of ${leaf.keyBits} bits${leaf.curve ? ` (${leaf.curve})` : ''}`)];
}

/** 2024-01-01 from an ISO or X.509-style date; the text as given when it cannot be read. */
function day(date: string): string {
  const time = Date.parse(date);
  return Number.isNaN(time) ? date : new Date(time).toISOString().slice(0, 10);
}
