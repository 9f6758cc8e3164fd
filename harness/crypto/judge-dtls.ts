import type { DtlsObservation } from '../probes/tls/observation.js';
import type { EffectiveCryptoRules } from './effective.js';
import type { CryptoFinding } from './finding.js';
import { judgeServerCertificate } from './judge-certificate.js';
import { judgeVersions } from './judge-versions.js';

/** A DTLS observation against the rules: versions, suites on allowed versions, and the certificate chain if one was sent (PSK sends none). */
export function judgeDtls(observation: DtlsObservation, rules: EffectiveCryptoRules): CryptoFinding[] {
  return [...judgeVersions('dtls', observation.versions, rules.dtls), ...judgeServerCertificate(observation, rules)];
}
