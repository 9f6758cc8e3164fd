import { authenticatesWithCertificate } from '../probes/tls/cipher-suites.js';
import { certificateKind } from '../probes/tls/certificate-kinds.js';
import type { CertificateChainObservation, CertificateMessageObservation, CertificateObservation, KindCertificateObservation, VersionObservation } from '../probes/tls/observation.js';
import type { DtlsVersion, TlsVersion } from '../probes/tls/registry.js';
import type { EffectiveCryptoRules } from './effective.js';
import { offending, unread, type CryptoFinding } from './finding.js';

interface ShownCertificate {
  host: string;
  versions: VersionObservation<TlsVersion | DtlsVersion>[];
  certificateChain: CertificateChainObservation | null;
  certificateError: string | null;
  certificateMessage: CertificateMessageObservation | null;
}

interface ServerCertificateFacts extends ShownCertificate {
  otherCertificates: KindCertificateObservation[];
}

/**
 * Every certificate a TLS or DTLS server showed: the one for a hello offering every accepted suite, and the
 * one for each other kind of suite (RSA beside ECDSA…), each judged alone. With more than one kind, each
 * item names the suites its certificate serves. A certificate shown again for another kind is judged once.
 */
export function judgeServerCertificate(observation: ServerCertificateFacts, rules: EffectiveCryptoRules): CryptoFinding[] {
  const others = observation.otherCertificates;
  const suite = observation.certificateMessage?.suite;
  const kindShown = suite ? certificateKind(suite) : null;
  const on = (kind: string | null) => (finding: CryptoFinding): CryptoFinding => (others.length > 0 && kind ? { ...finding, item: `${finding.item} (on the ${kind} suites)` } : finding);
  const findings = judgeShownCertificate(observation, rules).map(on(kindShown));
  const leafShown = observation.certificateChain?.certificates[0]?.sha256Fingerprint;
  for (const other of others) {
    if (leafShown !== undefined && other.certificateChain?.certificates[0]?.sha256Fingerprint === leafShown) continue;
    const versions = observation.versions.map((v) => ({ ...v, cipherSuites: v.cipherSuites.filter((s) => certificateKind(s.name) === other.kind) }));
    findings.push(...judgeShownCertificate({ ...other, host: observation.host, versions }, rules).map(on(other.kind)));
  }
  return findings;
}

/**
 * One certificate a server showed. A server that accepts a certificate-based suite must show a
 * certificate the rules can judge: none at all on such a suite fails (nobody can authenticate the
 * server); one jcstar could not read or parse leaves the verdict open. PSK- or anonymous-only servers
 * have no certificate to judge (anonymous suites fail on their own).
 */
function judgeShownCertificate(observation: ShownCertificate, rules: EffectiveCryptoRules): CryptoFinding[] {
  const message = observation.certificateMessage;
  if (observation.certificateError) return [unread('certificate.readable', `certificate unreadable (${observation.certificateError})`)];
  if (observation.certificateChain) return judgeCertificate(observation.certificateChain, rules, observation.host);
  if (message?.suite && authenticatesWithCertificate(message.suite) && (message.content === 'empty' || message.content === 'absent')) {
    const what = message.content === 'empty' ? 'an empty Certificate message' : 'no Certificate message';
    return [offending('certificate.sent', `the server sent no certificate on ${message.suite} (${what} on ${message.version}), so clients cannot authenticate it`)];
  }
  const certificateSuite = observation.versions.flatMap((v) => (v.offered ? v.cipherSuites : [])).find((s) => authenticatesWithCertificate(s.name));
  if (!certificateSuite) return [];
  if (message?.content === 'malformed') return [unread('certificate.readable', `the Certificate message on ${message.suite} could not be parsed (${message.detail})`)];
  const why = message?.detail ? `: ${message.detail}` : '';
  return [unread('certificate.readable', `the server accepts ${certificateSuite.name}, but its certificate was not read${why}`)];
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
  if (leaf.keyType === 'unknown') return [unread('certificate.keyTypes', 'certificate key of a type jcstar cannot read')];
  if (!certificate.keyTypes.includes(leaf.keyType)) return [offending('certificate.keyTypes', `certificate ${leaf.keyType} key`)];
  const minimum = leaf.keyType === 'RSA' ? { rule: 'certificate.minRsaBits' as const, bits: certificate.minRsaBits } : leaf.keyType === 'EC' ? { rule: 'certificate.minEcBits' as const, bits: certificate.minEcBits } : null;
  if (minimum === null) return [];
  if (leaf.keyBits === null) return [unread(minimum.rule, `certificate ${leaf.keyType} key of a size jcstar could not read`)];
  if (leaf.keyBits >= minimum.bits) return [];
  return [offending(minimum.rule, `certificate ${leaf.keyType} key of ${leaf.keyBits} bits${leaf.curve ? ` (${leaf.curve})` : ''}`)];
}

/** 2024-01-01 from an ISO or X.509-style date; the text as given when it cannot be read. */
function day(date: string): string {
  const time = Date.parse(date);
  return Number.isNaN(time) ? date : new Date(time).toISOString().slice(0, 10);
}
