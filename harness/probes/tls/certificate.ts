import { X509Certificate } from 'node:crypto';
import { readCertificateFields, type CertificateFields } from './certificate-asn1.js';
import type { CertificateChainObservation, CertificateObservation } from './observation.js';

export interface ChainAnalysisOptions {
  /** The host the profile names for the device (IP literal or DNS name), matched against the leaf. */
  host: string;
  /** When validity is judged. */
  now: Date;
  /** DER certificates the profile trusts: the vendor's CA or a pinned device certificate. */
  trustAnchors: Buffer[];
  /** False when the chain's order cannot be seen (TLS 1.3 only: the Certificate message is encrypted). */
  orderVisible: boolean;
}

/**
 * A certificate that is not X.509 DER. Thrown instead of guessing, so the TLS probe can record that the
 * server's chain (or a profile's trust anchor) is unreadable, while its versions and suites still stand.
 */
export class CertificateParseError extends Error {
  constructor(
    message: string,
    /** Where the certificate came from. */
    readonly source: 'chain' | 'trust-anchor',
    /** Its position there, 0 being the leaf of a chain; null when the chain as a whole is unusable. */
    readonly index: number | null,
  ) {
    super(message);
    this.name = 'CertificateParseError';
  }
}

/** A TLS Certificate message holds up to 2^24 bytes; beyond this many certificates no real chain goes. */
export const MAX_CHAIN_LENGTH = 32;

/** OpenSSL's EVP_PKEY_get_bits for the Edwards curves. */
const EDWARDS_KEY_BITS = { Ed25519: 256, Ed448: 456 } as const;

interface ParsedCertificate {
  x509: X509Certificate;
  fields: CertificateFields;
}

function parse(der: Buffer, source: CertificateParseError['source'], index: number): ParsedCertificate {
  try {
    // node:crypto checks the whole structure with OpenSSL; forge then reads what node:crypto does not expose.
    return { x509: new X509Certificate(der), fields: readCertificateFields(der) };
  } catch (err) {
    const what = source === 'chain' ? `certificate #${index + 1} of the chain` : `trust anchor #${index + 1}`;
    throw new CertificateParseError(`${what} is not an X.509 certificate: ${err instanceof Error ? err.message : String(err)}`, source, index);
  }
}

/** OpenSSL prints a name one attribute a line; an observation shows it on one. */
function oneLine(name: string): string {
  return name.split('\n').join(', ');
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    // A key type OpenSSL cannot verify with (or a mismatched one) proves nothing.
    return false;
  }
}

/** Names and signature both say `issuer` issued `cert`. */
function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && signedBy(cert, issuer);
}

function describeKey(x509: X509Certificate): Pick<CertificateObservation, 'keyType' | 'keyBits' | 'curve'> {
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { keyType: 'RSA', keyBits: details.modulusLength ?? null, curve: null };
    case 'dsa':
      return { keyType: 'DSA', keyBits: details.modulusLength ?? null, curve: null };
    case 'ec': {
      const curve = details.namedCurve ?? null;
      // Every named curve's name carries its field size: prime256v1, secp384r1, secp521r1, brainpoolP512r1…
      const bits = /(\d{3})/.exec(curve ?? '')?.[1];
      return { keyType: 'EC', keyBits: bits ? Number(bits) : null, curve };
    }
    case 'ed25519':
      return { keyType: 'Ed25519', keyBits: EDWARDS_KEY_BITS.Ed25519, curve: null };
    case 'ed448':
      return { keyType: 'Ed448', keyBits: EDWARDS_KEY_BITS.Ed448, curve: null };
    default:
      return { keyType: 'unknown', keyBits: null, curve: null };
  }
}

function describe(cert: ParsedCertificate): CertificateObservation {
  const { x509, fields } = cert;
  return {
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    serialNumber: x509.serialNumber,
    notBefore: fields.notBefore.toISOString(),
    notAfter: fields.notAfter.toISOString(),
    ...describeKey(x509),
    signatureAlgorithm: fields.signatureAlgorithm,
    signatureHash: fields.signatureHash,
    subjectAltNames: fields.subjectAltNames ?? [],
    selfSigned: x509.subject === x509.issuer && signedBy(x509, x509),
    sha256Fingerprint: x509.fingerprint256,
  };
}

/** The profile's host is an IP literal or a DNS name; of these only IPv6 literals hold colons. */
function isIpLiteral(host: string): boolean {
  return host.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/**
 * RFC 6125 as browsers apply it: an IP literal matches IP SANs only; a DNS name matches DNS SANs, with
 * a wildcard standing for exactly one whole left-most label; the CN counts only without a SAN extension.
 */
function coversHost(leaf: ParsedCertificate, host: string): boolean {
  if (isIpLiteral(host)) return leaf.x509.checkIP(host) !== undefined;
  const subject = leaf.fields.subjectAltNames === null ? 'always' : 'never';
  return leaf.x509.checkHost(host, { subject, wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false }) !== undefined;
}

function chainOrder(chain: X509Certificate[], orderVisible: boolean): CertificateChainObservation['order'] {
  if (!orderVisible) return 'unknown';
  return chain.every((cert, i) => i === chain.length - 1 || issuedBy(cert, chain[i + 1]!)) ? 'ok' : 'misordered';
}

/**
 * Whether a path leads from the leaf to an anchor: through certificates of the chain (in any order, each
 * a CA) to one that is an anchor itself (pinning) or that an anchor issued. Dates are not part of it.
 */
function leadsToAnchor(chain: X509Certificate[], anchors: X509Certificate[]): boolean {
  const pinned = new Set(anchors.map((a) => a.fingerprint256));
  const reached = new Set<number>([0]);
  // Breadth-first over the chain; each certificate enters the queue at most once.
  const queue = [0];
  for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
    const cert = chain[i]!;
    if (pinned.has(cert.fingerprint256) || anchors.some((anchor) => issuedBy(cert, anchor))) return true;
    chain.forEach((candidate, j) => {
      if (reached.has(j) || !candidate.ca || !issuedBy(cert, candidate)) return;
      reached.add(j);
      queue.push(j);
    });
  }
  return false;
}

/**
 * Facts about the certificate chain a server sent (leaf first): each certificate's dates, key, signature
 * and names, and, for the chain, host match, order and trust. Throws CertificateParseError when a
 * certificate (or anchor) does not parse, and when the chain is empty or longer than MAX_CHAIN_LENGTH.
 */
export function analyseCertificateChain(ders: Buffer[], options: ChainAnalysisOptions): CertificateChainObservation {
  if (ders.length === 0) throw new CertificateParseError('the chain is empty', 'chain', null);
  if (ders.length > MAX_CHAIN_LENGTH) {
    throw new CertificateParseError(`the chain holds ${ders.length} certificates, more than the ${MAX_CHAIN_LENGTH} analysed`, 'chain', null);
  }
  const chain = ders.map((der, i) => parse(der, 'chain', i));
  const anchors = options.trustAnchors.map((der, i) => parse(der, 'trust-anchor', i).x509);
  const leaf = chain[0]!;
  const x509s = chain.map((c) => c.x509);
  return {
    certificates: chain.map(describe),
    order: chainOrder(x509s, options.orderVisible),
    hostMatches: coversHost(leaf, options.host),
    checkedAt: options.now.toISOString(),
    expired: options.now.getTime() > leaf.fields.notAfter.getTime(),
    notYetValid: options.now.getTime() < leaf.fields.notBefore.getTime(),
    anchored: anchors.length === 0 ? null : leadsToAnchor(x509s, anchors),
  };
}

/** The chain as an observation, or why it could not be read: an unreadable certificate loses the chain, not the rest of the port's observation. */
export function readCertificateChain(ders: Buffer[], options: ChainAnalysisOptions): { certificateChain: CertificateChainObservation | null; certificateError: string | null } {
  try {
    return { certificateChain: analyseCertificateChain(ders, options), certificateError: null };
  } catch (err) {
    if (err instanceof CertificateParseError) return { certificateChain: null, certificateError: err.message };
    throw err;
  }
}
