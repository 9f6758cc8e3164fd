import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startNginx, type Nginx } from './nginx.js';
import { tempDir } from './run-profile.js';
import type { TestCertificate } from './certificates.js';

/** Mozilla's "intermediate" server configuration (v5.7), as nginx takes it. */
export const MOZILLA_INTERMEDIATE_CIPHERS =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305';

/** ECDHE with CBC: not recommended, never broken by itself (a warning under the crypto rules). */
const ECDHE_CBC = 'ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384';

export type TlsConfig = 'modern' | 'legacy' | 'cbc-after-aead' | 'cbc-only';

let dhParams1024: string | null = null;

/** 1024-bit DH parameters (DSA-style generation: instant), for the legacy fixture's weak DHE. */
function weakDhParams(): string {
  if (!dhParams1024) {
    dhParams1024 = join(tempDir('jcstar-dh-'), 'dh1024.pem');
    execFileSync('openssl', ['dhparam', '-dsaparam', '-out', dhParams1024, '1024'], { stdio: 'ignore' });
  }
  return dhParams1024;
}

/**
 * Real nginx serving HTTPS with `certificate`:
 * - modern: TLS 1.2 and 1.3, Mozilla intermediate suites, HSTS;
 * - legacy: TLS 1.0 to 1.2, every suite OpenSSL still has (`ALL:@SECLEVEL=0`), 1024-bit DHE, no HSTS;
 * - cbc-after-aead: TLS 1.2 only, ECDHE AEAD suites then ECDHE CBC ones, in the server's order;
 * - cbc-only: TLS 1.2 only, ECDHE CBC suites alone.
 */
export async function startTlsNginx(host: string, certificate: TestCertificate, config: TlsConfig): Promise<Nginx> {
  const common = `ssl_certificate ${certificate.chainFile};\n    ssl_certificate_key ${certificate.keyFile};\n`;
  const tls12Only = (ciphers: string) => `${common}    ssl_protocols TLSv1.2;\n    ssl_ciphers ${ciphers};\n    ssl_prefer_server_ciphers on;`;
  const server = {
    modern: () => `${common}    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};\n    ssl_prefer_server_ciphers off;\n    add_header Strict-Transport-Security "max-age=63072000" always;`,
    legacy: () => `${common}    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n    ssl_ciphers ALL:@SECLEVEL=0;\n    ssl_prefer_server_ciphers on;\n    ssl_dhparam ${weakDhParams()};`,
    'cbc-after-aead': () => tls12Only(`${MOZILLA_INTERMEDIATE_CIPHERS.split(':').filter((c) => c.startsWith('ECDHE')).join(':')}:${ECDHE_CBC}`),
    'cbc-only': () => tls12Only(ECDHE_CBC),
  }[config]();
  return startNginx(host, '', server, { ssl: true });
}

/**
 * Real nginx with two certificates (`ssl_certificate` twice, as nginx documents for ECDSA beside RSA),
 * TLS 1.2 and 1.3, Mozilla intermediate suites in the server's order: a hello offering both kinds gets
 * `ecdsa`, and `rsa` only shows to a client offering RSA suites alone. `@SECLEVEL=0` lets OpenSSL load
 * a 1024-bit RSA key, as old firmware does.
 */
export async function startDualCertificateNginx(host: string, ecdsa: TestCertificate, rsa: TestCertificate): Promise<Nginx> {
  const certificates = [ecdsa, rsa].map((c) => `ssl_certificate ${c.chainFile};\n    ssl_certificate_key ${c.keyFile};`).join('\n    ');
  const server = `${certificates}\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS}:@SECLEVEL=0;\n    ssl_prefer_server_ciphers on;`;
  return startNginx(host, '', server, { ssl: true });
}
