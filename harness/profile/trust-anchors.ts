import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding } from './finding.js';
import type { Service } from './types.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM file, as DER; throws when there is none or one does not parse. */
export function readTrustAnchors(path: string): Buffer[] {
  const blocks = readFileSync(path, 'utf8').match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new Error('it holds no PEM certificate');
  return blocks.map((pem) => new X509Certificate(pem).raw);
}

/** Makes each service's trust-anchor files absolute (relative to the profile) and checks now that they hold certificates. */
export function resolveTrustAnchors(services: Service[], baseDir: string, findings: Finding[]): void {
  services.forEach((service, i) => {
    service.trustAnchors = service.trustAnchors?.map((file, j) => {
      const path = resolve(baseDir, file);
      try {
        readTrustAnchors(path);
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
        findings.push({ path: ['services', i, 'trustAnchors', j], message: `cannot use ${path} as a trust anchor: ${reason}` });
      }
      return path;
    });
  });
}
