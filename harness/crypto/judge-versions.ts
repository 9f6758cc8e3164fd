import type { VersionObservation } from '../probes/tls/observation.js';
import type { DtlsVersion, TlsVersion } from '../probes/tls/registry.js';
import { offending, type CryptoFinding } from './finding.js';

/**
 * Versions and their suites, for TLS and DTLS alike. Suites are judged only on versions the rules allow:
 * on a forbidden version the version itself is the finding, and whatever it carries goes with it.
 */
export function judgeVersions<V extends TlsVersion | DtlsVersion>(
  section: 'tls' | 'dtls',
  observed: VersionObservation<V>[],
  allowed: { versions: readonly string[]; cipherSuites: readonly string[] },
): CryptoFinding[] {
  const findings: CryptoFinding[] = [];
  for (const { version, offered, cipherSuites } of observed) {
    if (!offered) continue;
    if (!allowed.versions.includes(version)) {
      findings.push(offending(`${section}.versions`, `accepts ${version}`));
      continue;
    }
    for (const suite of cipherSuites) {
      if (!allowed.cipherSuites.includes(suite.name)) findings.push(offending(`${section}.cipherSuites`, `accepts ${suite.name} on ${version}`));
    }
  }
  return findings;
}
