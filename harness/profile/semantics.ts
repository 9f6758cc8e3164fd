import { isIP } from 'node:net';
import { z } from 'zod';
import { effectivePolicy } from '../policy/load.js';
import type { Policy } from '../policy/schema.js';
import { ScopeGuard } from '../scope/guard.js';
import type { Secret } from '../secrets/secret.js';
import { formatPath } from './errors.js';
import type { Finding } from './finding.js';
import type { SourceMap } from './locate.js';
import { resolveSecret, type SecretSources } from './resolve-secrets.js';
import { defaultTransport, type ProfileDocument } from './schema.js';
import { didYouMean } from './suggest.js';
import type { Credential, Service } from './types.js';

/**
 * Checks that need more than the schema: the target against the scope, duplicate services, credential
 * references, secret references. They run only on a document that passed the schema.
 */

/** Resolves a host name to all of its addresses. Injectable so that tests need no network. */
export type Lookup = (host: string) => Promise<string[]>;

/** The address probes will use. Every address a name resolves to must be in scope, not just the first. */
export async function resolveTarget(host: string, scope: string[], lookup: Lookup, findings: Finding[]): Promise<string | undefined> {
  const path = ['target', 'host'];
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await lookup(host);
    if (addresses.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
  } catch (err) {
    findings.push({ path, message: `cannot resolve "${host}" (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})` });
    return undefined;
  }
  const guard = new ScopeGuard(scope);
  const outside = addresses.filter((a) => !guard.allows(a));
  if (outside.length > 0) {
    const what = isIP(host) ? host : `${host} (${outside.join(', ')})`;
    findings.push({ path, message: `${what} is outside the scope (${scope.join(', ')}); add it to scope or correct the address` });
    return undefined;
  }
  return addresses[0];
}

export function checkServices(doc: ProfileDocument, source: SourceMap, findings: Finding[]): Service[] {
  const firstByName = new Map<string, number>();
  const ownerByPort = new Map<string, string>();
  const credentialNames = Object.keys(doc.credentials);

  return doc.services.map((spec, i) => {
    const service: Service = { ...spec, transport: spec.transport ?? defaultTransport(spec.protocol) };

    const first = firstByName.get(spec.name);
    if (first === undefined) firstByName.set(spec.name, i);
    else {
      const line = source.valueAt(['services', first, 'name']).line;
      findings.push({ path: ['services', i, 'name'], message: `duplicate service name "${spec.name}" (first declared on line ${line})` });
    }

    const port = `${spec.port}/${service.transport}`;
    const owner = ownerByPort.get(port);
    if (owner === undefined) ownerByPort.set(port, spec.name);
    else findings.push({ path: ['services', i, 'port'], message: `port ${port} is already declared by service "${owner}"` });

    if (spec.credential !== undefined && !credentialNames.includes(spec.credential)) {
      const hint =
        credentialNames.length === 0
          ? '; the profile declares no credentials'
          : didYouMean(spec.credential, credentialNames) || `; expected one of: ${credentialNames.join(', ')}`;
      findings.push({ path: ['services', i, 'credential'], message: `no credential named "${spec.credential}"${hint}` });
    }
    return service;
  });
}

export async function resolveCredentials(specs: ProfileDocument['credentials'], sources: SecretSources, findings: Finding[]) {
  const credentials: Record<string, Credential> = {};
  const secrets: Secret[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const credential: Credential = { name };
    if (spec.username !== undefined) credential.username = spec.username;
    for (const field of ['password', 'key'] as const) {
      const ref = spec[field];
      if (ref === undefined) continue;
      const path = ['credentials', name, field];
      const result = await resolveSecret(ref, formatPath(path), sources);
      if (result.ok) {
        credential[field] = result.secret;
        secrets.push(result.secret);
      } else findings.push({ path, message: result.message });
    }
    credentials[name] = credential;
  }
  return { credentials, secrets };
}

/** The default policy with the profile's overrides; rules that span fields are checked on the merge. */
export function mergePolicy(overrides: ProfileDocument['policy'], findings: Finding[]): Policy | undefined {
  try {
    return effectivePolicy(overrides);
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    for (const issue of err.issues) findings.push({ path: ['policy', ...issue.path], message: issue.message });
    return undefined;
  }
}
