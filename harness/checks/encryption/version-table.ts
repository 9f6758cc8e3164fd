import type { EvidenceTable } from '../../evidence/table.js';
import type { CertificateChainObservation, CertificateMessageObservation, VersionObservation } from '../../probes/tls/observation.js';
import type { DtlsVersion, TlsVersion } from '../../probes/tls/registry.js';

/** One row per protocol version, with its suites in the server's order when it imposes one. */
export function versionTable(caption: string, versions: VersionObservation<TlsVersion | DtlsVersion>[]): EvidenceTable {
  return {
    caption,
    header: ['Version', 'Offered', 'Order', 'Cipher suites'],
    rows: versions.map((v) => [
      v.version,
      v.offered ? 'yes' : 'no',
      v.cipherSuites.length < 2 ? '–' : v.order,
      v.cipherSuites.map((s) => s.name).join('\n'),
    ]),
  };
}

/** "TLSv1.2 (6 suites), TLSv1.3 (3 suites)", for evidence summaries. */
export function describeOffered(versions: VersionObservation<TlsVersion | DtlsVersion>[]): string {
  return versions.filter((v) => v.offered).map((v) => `${v.version} (${v.cipherSuites.length} suites)`).join(', ') || 'no version accepted';
}

/** "RSA 2048 bits, until 2050-01-01", or why no chain was judged, for evidence summaries. */
export function describeCertificate(chain: CertificateChainObservation | null, message: CertificateMessageObservation | null): string {
  const leaf = chain?.certificates[0];
  return leaf ? `${leaf.keyType} ${leaf.keyBits ?? '?'} bits, until ${leaf.notAfter.slice(0, 10)}` : describeMissingCertificate(message);
}

/** Why no chain was judged, for evidence summaries: "not sent on TLS_ECDHE_RSA_… (empty Certificate message)". */
export function describeMissingCertificate(message: CertificateMessageObservation | null): string {
  if (message === null) return 'not asked for';
  const on = message.suite ? ` on ${message.suite}` : '';
  const detail = message.detail ? `: ${message.detail}` : '';
  return `not read${on} (${message.content} Certificate message${detail})`;
}
