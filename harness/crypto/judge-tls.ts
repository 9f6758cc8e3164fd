import type { TlsObservation } from '../probes/tls/observation.js';
import type { EffectiveCryptoRules } from './effective.js';
import { offending, type CryptoFinding } from './finding.js';
import { judgeServerCertificate } from './judge-certificate.js';

/**
 * A TLS observation against the rules. Suites and groups are judged only on versions the rules allow:
 * on a forbidden version the version itself is the finding, and whatever it carries goes with it.
 */
export function judgeTls(observation: TlsObservation, rules: EffectiveCryptoRules): CryptoFinding[] {
  const { tls } = rules;
  const findings: CryptoFinding[] = [];
  for (const { version, offered, cipherSuites } of observation.versions) {
    if (!offered) continue;
    if (!tls.versions.includes(version)) {
      findings.push(offending('tls.versions', `accepts ${version}`));
      continue;
    }
    for (const suite of cipherSuites) {
      if (!tls.cipherSuites.includes(suite.name)) findings.push(offending('tls.cipherSuites', `accepts ${suite.name} on ${version}`));
    }
  }
  for (const group of observation.groups) {
    const onAllowedVersion = group.versions.length === 0 || group.versions.some((v) => tls.versions.includes(v));
    if (onAllowedVersion && !tls.groups.includes(group.name)) findings.push(offending('tls.groups', `group ${group.name}`));
  }
  for (const bits of [...new Set(observation.dhePrimeBits)].sort((a, b) => a - b)) {
    if (bits < tls.minDhePrimeBits) findings.push(offending('tls.minDhePrimeBits', `DHE prime of ${bits} bits`));
  }
  if (observation.compression === true && tls.compression === 'forbidden') findings.push(offending('tls.compression', 'compression (DEFLATE) accepted'));
  if (observation.secureRenegotiation === false && tls.secureRenegotiation === 'required') findings.push(offending('tls.secureRenegotiation', 'no secure renegotiation'));
  findings.push(...judgeServerCertificate(observation, rules));
  return findings;
}
