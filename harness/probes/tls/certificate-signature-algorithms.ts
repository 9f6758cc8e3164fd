import forge from 'node-forge';

/**
 * Certificate signature algorithms by OID, with the hash each one signs over. node-forge's OID table
 * lacks ECDSA and Ed448, hence this one; names follow OpenSSL's.
 */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string | null }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', hash: 'md4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa_with_SHA224', hash: 'sha224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', hash: 'sha256' },
  // EdDSA hashes internally (SHA-512 or SHAKE256); there is no separate, choosable hash to judge.
  '1.3.101.112': { name: 'Ed25519', hash: null },
  '1.3.101.113': { name: 'Ed448', hash: null },
};

export const RSASSA_PSS_OID = '1.2.840.113549.1.1.10';
/** RFC 4055 §3.1: RSASSA-PSS parameters without a hashAlgorithm mean SHA-1. */
const SHA1_OID = '1.3.14.3.2.26';

/**
 * Name and hash of a signature algorithm. For RSASSA-PSS the hash is in the parameters, so the caller
 * passes its OID (null when the parameters omit it).
 */
export function signatureAlgorithmOf(oid: string, pssHashOid: string | null): { name: string; hash: string | null } {
  if (oid === RSASSA_PSS_OID) {
    const hashOid = pssHashOid ?? SHA1_OID;
    return { name: 'RSASSA-PSS', hash: forge.pki.oids[hashOid] ?? hashOid };
  }
  return SIGNATURE_ALGORITHMS[oid] ?? { name: forge.pki.oids[oid] ?? oid, hash: null };
}
