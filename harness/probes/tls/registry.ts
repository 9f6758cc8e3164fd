/** Protocol versions, named groups and signature schemes as they appear on the wire (IANA TLS registries). */

export const TLS_VERSIONS = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];
export const DTLS_VERSIONS = ['DTLSv1.0', 'DTLSv1.2'] as const;
export type DtlsVersion = (typeof DTLS_VERSIONS)[number];

const VERSION_CODES: Record<TlsVersion | DtlsVersion, number> = {
  SSLv3: 0x0300,
  'TLSv1.0': 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
  'DTLSv1.0': 0xfeff,
  'DTLSv1.2': 0xfefd,
};

export function versionCode(version: TlsVersion | DtlsVersion): number {
  return VERSION_CODES[version];
}

export function versionName(code: number): TlsVersion | DtlsVersion | null {
  const found = Object.entries(VERSION_CODES).find(([, c]) => c === code);
  return found ? (found[0] as TlsVersion | DtlsVersion) : null;
}

/** Supported groups (RFC 8422, RFC 7919, RFC 8446 §4.2.7); the names are the IANA ones. */
export const NAMED_GROUPS: ReadonlyMap<number, string> = new Map([
  [0x0001, 'sect163k1'], [0x0002, 'sect163r1'], [0x0003, 'sect163r2'], [0x0004, 'sect193r1'], [0x0005, 'sect193r2'],
  [0x0006, 'sect233k1'], [0x0007, 'sect233r1'], [0x0008, 'sect239k1'], [0x0009, 'sect283k1'], [0x000a, 'sect283r1'],
  [0x000b, 'sect409k1'], [0x000c, 'sect409r1'], [0x000d, 'sect571k1'], [0x000e, 'sect571r1'], [0x000f, 'secp160k1'],
  [0x0010, 'secp160r1'], [0x0011, 'secp160r2'], [0x0012, 'secp192k1'], [0x0013, 'secp192r1'], [0x0014, 'secp224k1'],
  [0x0015, 'secp224r1'], [0x0016, 'secp256k1'], [0x0017, 'secp256r1'], [0x0018, 'secp384r1'], [0x0019, 'secp521r1'],
  [0x001a, 'brainpoolP256r1'], [0x001b, 'brainpoolP384r1'], [0x001c, 'brainpoolP512r1'], [0x001d, 'x25519'], [0x001e, 'x448'],
  [0x001f, 'brainpoolP256r1tls13'], [0x0020, 'brainpoolP384r1tls13'], [0x0021, 'brainpoolP512r1tls13'],
  [0x0100, 'ffdhe2048'], [0x0101, 'ffdhe3072'], [0x0102, 'ffdhe4096'], [0x0103, 'ffdhe6144'], [0x0104, 'ffdhe8192'],
]);

export function groupName(code: number): string {
  return NAMED_GROUPS.get(code) ?? `0x${code.toString(16).padStart(4, '0')}`;
}

/**
 * Signature schemes offered in signature_algorithms: every hash and signature pair a server might
 * insist on, old ones included, so that no cipher suite goes unfound for want of a scheme.
 */
export const SIGNATURE_SCHEMES: readonly number[] = [
  0x0403, 0x0503, 0x0603, // ecdsa_secp256r1_sha256, secp384r1_sha384, secp521r1_sha512
  0x0807, 0x0808, // ed25519, ed448
  0x0804, 0x0805, 0x0806, // rsa_pss_rsae_sha256/384/512
  0x0809, 0x080a, 0x080b, // rsa_pss_pss_sha256/384/512
  0x0401, 0x0501, 0x0601, // rsa_pkcs1_sha256/384/512
  0x0303, 0x0301, 0x0302, // sha224 ecdsa, rsa, dsa
  0x0203, 0x0201, 0x0202, // sha1 ecdsa, rsa, dsa
  0x0402, 0x0502, 0x0602, // dsa sha256/384/512
  0x0101, 0x0102, 0x0103, // md5 rsa, dsa, ecdsa
  0x081a, 0x081b, 0x081c, // ecdsa_brainpool*tls13
];
