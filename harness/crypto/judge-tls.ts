import type { TlsObservation } from '../probes/tls/observation.js';
import type { EffectiveCryptoRules } from './effective.js';
import { offending, type CryptoFinding } from './finding.js';
import { grade, judgeList } from './grade.js';
import { judgeServerCertificate } from './judge-certificate.js';
import { judgeVersions } from './judge-versions.js';

/** A TLS observation against the rules. Groups, like suites, are judged only on versions the rules allow. */
export function judgeTls(observation: TlsObservation, rules: EffectiveCryptoRules): CryptoFinding[] {
  const { tls } = rules;
  const findings = judgeVersions('tls', observation.versions, tls);
  const onAllowedVersion = observation.groups.filter((g) => g.versions.length === 0 || g.versions.some((v) => grade(tls.versions, v).severity === 'allow'));
  findings.push(...judgeList('tls.groups', 'group', onAllowedVersion.map((g) => g.name), tls.groups));
  for (const bits of [...new Set(observation.dhePrimeBits)].sort((a, b) => a - b)) {
    if (bits < tls.minDhePrimeBits) findings.push(offending('tls.minDhePrimeBits', `DHE prime of ${bits} bits`));
  }
  if (observation.compression === true && tls.compression === 'forbidden') findings.push(offending('tls.compression', 'compression (DEFLATE) accepted'));
  if (observation.secureRenegotiation === false && tls.secureRenegotiation === 'required') findings.push(offending('tls.secureRenegotiation', 'no secure renegotiation'));
  findings.push(...judgeServerCertificate(observation, rules));
  return findings;
}
