import type { Finding } from './finding.js';
import type { ProfileDocument } from './schema.js';

/** A service declared `auth: psk` that names a credential needs that credential's psk, or the positive control has no key. */
export function checkPskCredentials(doc: ProfileDocument, findings: Finding[]): void {
  doc.services.forEach((service, i) => {
    if (service.auth !== 'psk' || service.credential === undefined) return;
    const credential = doc.credentials[service.credential];
    if (credential && !credential.psk) {
      findings.push({ path: ['services', i, 'credential'], message: `auth: psk needs a credential with psk (identity and key); "${service.credential}" has none` });
    }
  });
}
