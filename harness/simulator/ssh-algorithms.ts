import type { Algorithms } from 'ssh2';

/**
 * What the simulated SSH server offers in its KEXINIT. The host key algorithm is not listed: ssh2 offers
 * the type of each host key it holds, here ecdsa-sha2-nistp256 (see generateHostKey).
 */

/** The secure build: curve25519 and NIST-curve ECDH, 2048+-bit DH, AES-GCM and AES-CTR, SHA-2 MACs, delayed compression. */
export const HARDENED_SSH_ALGORITHMS = {
  kex: [
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp521',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512',
    'diffie-hellman-group14-sha256',
  ],
  cipher: ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr'],
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512'],
  compress: ['none', 'zlib@openssh.com'],
} satisfies Algorithms;

/**
 * The insecure build: the hardened set, then what an old firmware's SSH stack still offers for old
 * clients (SHA-1 and 1024-bit DH key exchange, CBC and 3DES, SHA-1 and MD5 MACs, pre-authentication
 * zlib). Modern clients still negotiate the hardened algorithms, which come first.
 */
export const LEGACY_SSH_ALGORITHMS = {
  kex: [...HARDENED_SSH_ALGORITHMS.kex, 'diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'],
  cipher: [...HARDENED_SSH_ALGORITHMS.cipher, 'aes128-cbc', 'aes256-cbc', '3des-cbc'],
  hmac: [...HARDENED_SSH_ALGORITHMS.hmac, 'hmac-sha1', 'hmac-md5'],
  compress: [...HARDENED_SSH_ALGORITHMS.compress, 'zlib'],
} satisfies Algorithms;
