import type { TlsOptions } from 'node:tls';
import type { DeviceCertificates } from './certificates.js';

/**
 * How the secure build's TLS services speak TLS: 1.2 and 1.3 only, with the forward-secret AEAD suites of
 * Mozilla's intermediate profile, so that S1.1-12 finds nothing to name. Its ECDSA and DHE suites are left
 * out: with an RSA certificate and no DH parameters, Node could never negotiate them.
 */
export const DEVICE_CIPHER_SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
] as const;

/** A client that has not finished its handshake by then is dropped, as a slow HTTP client is. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

export function deviceTlsOptions(certificates: DeviceCertificates): TlsOptions {
  return {
    key: certificates.keyPem,
    cert: certificates.certPem,
    minVersion: 'TLSv1.2',
    ciphers: DEVICE_CIPHER_SUITES.join(':'),
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
  };
}
