import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding } from './finding.js';
import { resolveSecret, type SecretSources } from './resolve-secrets.js';
import type { ProfileDocument } from './schema.js';
import type { Secret } from '../secrets/secret.js';
import { HANDS_ON, type HandsOn, type UpdateSettings } from './types.js';

/** Makes the update section's files absolute, checks they exist and that named services and hooks are declared. */
export async function resolveUpdate(doc: ProfileDocument, sources: SecretSources, findings: Finding[]): Promise<{ update: UpdateSettings | null; secrets: Secret[] }> {
  const spec = doc.update;
  if (!spec) return { update: null, secrets: [] };
  const file = (path: string, at: (string | number)[]): string => {
    const absolute = resolve(sources.baseDir, path);
    if (!existsSync(absolute)) findings.push({ path: ['update', ...at], message: `no such file: ${absolute}` });
    return absolute;
  };
  const images = spec.images && {
    ...spec.images,
    genuine: { ...spec.images.genuine, file: file(spec.images.genuine.file, ['images', 'genuine', 'file']) },
    ...(spec.images.older ? { older: { ...spec.images.older, file: file(spec.images.older.file, ['images', 'older', 'file']) } } : {}),
    signingKey: file(spec.images.signingKey, ['images', 'signingKey']),
  };
  let server: UpdateSettings['server'];
  const secrets: Secret[] = [];
  if (spec.server) {
    const { key, certificate, ...rest } = spec.server;
    server = { ...rest, ...(certificate ? { certificate: file(certificate, ['server', 'certificate']) } : {}) };
    if (key) {
      const resolved = await resolveSecret(key, 'update server key', sources);
      if (resolved.ok) {
        server.key = resolved.secret;
        secrets.push(resolved.secret);
      } else findings.push({ path: ['update', 'server', 'key'], message: resolved.message });
    }
    if (certificate && !key) findings.push({ path: ['update', 'server', 'certificate'], message: 'a server certificate needs its key (update.server.key)' });
  }
  const pulls = spec.mechanism !== undefined && 'pull' in spec.mechanism;
  const lacking = (['version', 'mechanism', 'images', ...(pulls ? (['server'] as const) : [])] as const).filter((k) => spec[k] === undefined);
  if (spec.handsOn && lacking.length > 0) {
    findings.push({ path: ['update', 'handsOn'], message: `hands-on update tests also need ${lacking.map((k) => `update.${k}`).join(', ')}` });
  }
  const { server: _written, ...rest } = spec;
  return { update: { ...rest, ...(images ? { images } : {}), ...(server ? { server } : {}) }, secrets };
}

/** Every `service:` and `hook:` an update or hooks entry names must exist. */
export function checkActionReferences(doc: ProfileDocument, findings: Finding[]): void {
  const services = new Set(doc.services.map((s) => s.name));
  const hooks = new Set(Object.keys(doc.hooks?.commands ?? {}));
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, [...path, i]));
    if (value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (key === 'service' && typeof v === 'string' && !services.has(v)) findings.push({ path: [...path, key], message: `no service named "${v}" in services` });
      else if (key === 'hook' && typeof v === 'string' && !hooks.has(v)) findings.push({ path: [...path, key], message: `no command named "${v}" in hooks.commands` });
      else if (key !== 'commands') visit(v, [...path, key]);
    }
  };
  visit(doc.update, ['update']);
  visit(doc.hooks, ['hooks']);
}

/** The hands-on tests the profile opts into. */
export function profileHandsOn(doc: ProfileDocument): HandsOn[] {
  const chosen = new Set<HandsOn>();
  if (doc.update?.handsOn) chosen.add('update');
  if (doc.hooks?.handsOn) (['resilience', 'reset'] as const).forEach((h) => chosen.add(h));
  return HANDS_ON.filter((h) => chosen.has(h));
}
