import type { VersionObservation } from '../probes/tls/observation.js';
import type { DtlsVersion, TlsVersion } from '../probes/tls/registry.js';
import { unread, type CryptoFinding } from './finding.js';
import { grade } from './grade.js';
import type { SeverityList } from './schema.js';

/**
 * Versions and their suites, for TLS and DTLS alike. Suites are judged only on versions the rules allow:
 * on a forbidden version the version itself is the finding, and whatever it carries goes with it.
 */
export function judgeVersions<V extends TlsVersion | DtlsVersion>(
  section: 'tls' | 'dtls',
  observed: VersionObservation<V>[],
  rules: { versions: SeverityList; cipherSuites: SeverityList },
): CryptoFinding[] {
  const findings: CryptoFinding[] = [];
  for (const version of observed) {
    if (!version.offered) continue;
    const graded = grade(rules.versions, version.version);
    if (graded.severity !== 'allow') {
      // No version is a warning today; one listed as such would still need a clean version beside it.
      const cleanVersion = observed.some((v) => v.offered && grade(rules.versions, v.version).severity === 'allow');
      const severity = graded.severity === 'warn' && cleanVersion ? 'warn' : 'fail';
      const subject = `accepts ${version.version}`;
      findings.push({ rule: `${section}.versions`, item: `${subject} (${graded.why})`, subject, severity });
      if (severity === 'fail') continue;
    }
    findings.push(...judgeSuites(section, version, rules.cipherSuites));
  }
  return findings;
}

/**
 * A warn suite is safe only while a clean one is shown to be negotiated first. When the server imposes its
 * order, every suite it prefers to its first clean one is what a client offering both gets: those fail. When
 * the client's order was shown to decide, a clean suite on offer is enough. When neither was shown, the
 * warning cannot be granted: the fact it rests on was not read.
 */
function judgeSuites<V extends TlsVersion | DtlsVersion>(section: 'tls' | 'dtls', version: VersionObservation<V>, list: SeverityList): CryptoFinding[] {
  const rule = `${section}.cipherSuites` as const;
  const names = version.cipherSuites.map((s) => s.name);
  const firstClean = names.findIndex((name) => grade(list, name).severity === 'allow');
  return names.flatMap((name, at): CryptoFinding[] => {
    const graded = grade(list, name);
    if (graded.severity === 'allow') return [];
    const subject = `accepts ${name} on ${version.version}`;
    const item = `${subject} (${graded.why})`;
    if (graded.severity === 'fail') return [{ rule, item, subject, severity: 'fail' }];
    if (firstClean < 0) return [{ rule, item: `${item}, and no clean suite is offered on ${version.version}`, subject, severity: 'fail' }];
    if (version.order === 'server' && at < firstClean) {
      return [{ rule, item: `${item}, and the server prefers it to its clean suites (first clean: ${names[firstClean]})`, subject, severity: 'fail' }];
    }
    if (version.order === 'unknown') {
      const why = `${item}, and whether a clean suite is negotiated first could not be read (neither the server's nor the client's order was shown)`;
      return [{ ...unread(rule, why), subject }];
    }
    return [{ rule, item, subject, severity: 'warn' }];
  });
}
