import type { NetFailure } from '../../net/errors.js';
import type { DtlsVersion, TlsVersion } from './registry.js';

/**
 * What the TLS and DTLS probes observed: facts only, no judgement. The crypto rules judge these
 * (harness/crypto), so a stored observation can be judged again under a newer rule set.
 */

export interface CipherSuiteRef {
  code: number;
  /** IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  name: string;
}

/**
 * Whose order decides the suite: 'server' when the server chose the same suite from the accepted list
 * forwards and backwards; 'client' when it took the first suite of each; 'unknown' when fewer than two
 * suites were accepted, a reordered hello was refused, or the server did neither.
 */
export type SuiteOrder = 'server' | 'client' | 'unknown';

export interface VersionObservation<V extends TlsVersion | DtlsVersion> {
  version: V;
  offered: boolean;
  /** Accepted suites; in the server's order of preference when `order` is 'server'. */
  cipherSuites: CipherSuiteRef[];
  /** Whose order of preference decides the suite, as far as reordered hellos showed it. */
  order: SuiteOrder;
}

export interface GroupObservation {
  code: number;
  name: string;
  /** Versions on which the server agreed to this group. */
  versions: TlsVersion[];
}

export interface CertificateObservation {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  keyType: 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';
  keyBits: number | null;
  /** Named curve of an EC key, e.g. prime256v1. */
  curve: string | null;
  /** e.g. sha256WithRSAEncryption, ecdsa-with-SHA256. */
  signatureAlgorithm: string;
  /** Hash of the signature, e.g. sha256; null for Ed25519/Ed448 or when unknown. */
  signatureHash: string | null;
  subjectAltNames: string[];
  selfSigned: boolean;
  sha256Fingerprint: string;
}

export interface CertificateChainObservation {
  /** As the server sent them, leaf first. */
  certificates: CertificateObservation[];
  /** Each certificate is issued by the next one; 'unknown' when the order was not visible (TLS 1.3 only). */
  order: 'ok' | 'misordered' | 'unknown';
  /** The leaf's SAN (or CN when there is no SAN) covers the host the profile names. */
  hostMatches: boolean;
  /** When validity was judged (run time). */
  checkedAt: string;
  /** The leaf's validity at checkedAt; every certificate's own dates are in `certificates`. */
  expired: boolean;
  notYetValid: boolean;
  /**
   * Whether the chain leads to a trust anchor the profile names (the vendor's CA or a pinned device
   * certificate); null when the profile names none, so trust could not be judged.
   */
  anchored: boolean | null;
}

/** The server's Certificate message on the handshake that read it. */
export interface CertificateMessageObservation {
  version: TlsVersion | DtlsVersion;
  /** The suite the server chose on that handshake; null when the handshake failed before one was known. */
  suite: string | null;
  /**
   * 'chain': one or more certificates (see certificateChain/certificateError); 'empty': an empty list;
   * 'absent': no Certificate message before ServerHelloDone; 'malformed': it could not be parsed;
   * 'incomplete': the handshake ended before the message could be seen.
   */
  content: 'chain' | 'empty' | 'absent' | 'malformed' | 'incomplete';
  /** Why, for 'malformed' and 'incomplete'. */
  detail: string | null;
}

/**
 * The certificate a server shows for one kind of suite (see certificateKind), read by offering only the
 * accepted suites of that kind: a server with an ECDSA and an RSA certificate answers a hello offering
 * both with one of them.
 */
export interface KindCertificateObservation {
  /** 'RSA', 'ECDSA', 'DSS', … */
  kind: string;
  certificateChain: CertificateChainObservation | null;
  /** Why a certificate the server sent could not be read. */
  certificateError: string | null;
  certificateMessage: CertificateMessageObservation;
}

export interface TlsObservation {
  outcome: 'observed';
  host: string;
  port: number;
  /** How TLS was reached: directly, or after a plaintext upgrade (STARTTLS-style). */
  transport: 'implicit' | 'ftp-auth-tls';
  versions: VersionObservation<TlsVersion>[];
  groups: GroupObservation[];
  /** Sizes of the finite-field DHE primes the server used with TLS ≤ 1.2 DHE suites. */
  dhePrimeBits: number[];
  certificateChain: CertificateChainObservation | null;
  /** Why a certificate the server sent could not be read; null when none was sent or all were read. */
  certificateError: string | null;
  /** Null when no handshake was made to read the certificate (no version accepted). */
  certificateMessage: CertificateMessageObservation | null;
  /** The certificate of every other kind of suite accepted on the highest TLS ≤ 1.2 version, one hello each. */
  otherCertificates: KindCertificateObservation[];
  /** renegotiation_info in the ServerHello (RFC 5746); null when no TLS ≤ 1.2 handshake succeeded. */
  secureRenegotiation: boolean | null;
  /** The server chose DEFLATE when offered (CRIME); null when no TLS ≤ 1.2 handshake succeeded. */
  compression: boolean | null;
  handshakes: number;
  durationMs: number;
}

export interface TlsProbeError {
  outcome: 'error';
  host: string;
  port: number;
  /** starttls-refused: the plaintext protocol refused the upgrade to TLS in words jcstar could read. */
  failure: NetFailure | 'not-tls' | 'starttls-refused';
  detail: string;
  handshakes: number;
}

export interface DtlsObservation {
  outcome: 'observed';
  host: string;
  port: number;
  versions: VersionObservation<DtlsVersion>[];
  /** Whether the server asked for a cookie (HelloVerifyRequest) before a ServerHello, and its size. */
  helloVerifyRequest: { sent: boolean; cookieBytes: number | null };
  certificateChain: CertificateChainObservation | null;
  /** Why a certificate the server sent could not be read; null when none was sent or all were read. */
  certificateError: string | null;
  /** From the first ServerHello on a certificate-based suite; null when the server chose none. */
  certificateMessage: CertificateMessageObservation | null;
  /** The certificate of every other kind of suite accepted on the highest version, one hello each. */
  otherCertificates: KindCertificateObservation[];
  datagrams: number;
  durationMs: number;
}

export interface DtlsProbeError {
  outcome: 'error';
  host: string;
  port: number;
  failure: NetFailure | 'not-dtls' | 'silent';
  detail: string;
  datagrams: number;
}
