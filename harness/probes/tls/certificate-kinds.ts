import { authenticatesWithCertificate } from './cipher-suites.js';
import type { CipherSuiteRef } from './observation.js';

/**
 * The kind of certificate a TLS ≤ 1.2 suite calls for: 'RSA', 'ECDSA' or 'DSS' for the signing suites
 * (ECDHE_RSA and RSA alike want an RSA key), 'DH' or 'ECDH' for static key agreement, else the key exchange
 * named (GOST). Null when the suite needs no certificate, or is a TLS 1.3 suite, whose certificate the
 * signature algorithms choose. A server may hold one certificate per kind and shows only the one its
 * chosen suite needs.
 */
export function certificateKind(name: string): string | null {
  if (!name.includes('_WITH_') || !authenticatesWithCertificate(name)) return null;
  const exchange = name.slice('TLS_'.length, name.indexOf('_WITH_'));
  if (exchange.startsWith('DH_')) return 'DH';
  if (exchange.startsWith('ECDH_')) return 'ECDH';
  for (const kind of ['ECDSA', 'DSS', 'RSA']) if (exchange.includes(kind)) return kind;
  return exchange;
}

/** The accepted suites of each certificate kind but the one already read, in the order accepted. */
export function otherCertificateKinds(accepted: CipherSuiteRef[], kindRead: string | null): { kind: string; suites: number[] }[] {
  const byKind = new Map<string, number[]>();
  for (const suite of accepted) {
    const kind = certificateKind(suite.name);
    if (kind === null || kind === kindRead) continue;
    byKind.set(kind, [...(byKind.get(kind) ?? []), suite.code]);
  }
  return [...byKind].map(([kind, suites]) => ({ kind, suites }));
}
