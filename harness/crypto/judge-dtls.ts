import type { DtlsObservation } from '../probes/tls/observation.js';
import type { EffectiveCryptoRules } from './effective.js';
import { offending, type CryptoFinding } from './finding.js';
import { judgeServerCertificate } from './judge-certificate.js';

/** A DTLS observation against the rules: versions, suites on allowed versions, and the certificate chain if one was sent (PSK sends none). */
export function judgeDtls(observation: DtlsObservation, rules: EffectiveCryptoRules): CryptoFinding[] {
  const { dtls } = rules;
  const findings: CryptoFinding[] = [];
  for (const { version, offered, cipherSuites } of observation.versions) {
    if (!offered) continue;
    if (!dtls.versions.includes(version)) {
      findings.push(offending('dtls.versions', `accepts ${version}`));
      continue;
    }
    for (const suite of cipherSuites) {
      if (!dtls.cipherSuites.includes(suite.name)) findings.push(offending('dtls.cipherSuites', `accepts ${suite.name} on ${version}`));
    }
  }
  findings.push(...judgeServerCertificate(observation, rules));
  return findings;
}
