import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import { effectiveCryptoRules, type EffectiveCryptoRules } from '../crypto/effective.js';
import { effectivePolicy } from '../policy/load.js';
import type { Policy } from '../policy/schema.js';
import { ScopeGuard } from '../scope/guard.js';
import type { Secret } from '../secrets/secret.js';
import { formatPath } from './errors.js';
import type { Finding } from './finding.js';
import type { SourceMap } from './locate.js';
import { resolveSecret, type SecretSources } from './resolve-secrets.js';
import { checkUsmService, resolveSnmpv3 } from './snmpv3.js';
import { defaultTransport, type CredentialChange, type ProfileDocument, type ServiceSpec } from './schema.js';
import { didYouMean } from './suggest.js';
import type { Credential, FleetUnit, PresharedKey, Service } from './types.js';

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
    if (spec.credentialChange) checkChangeProcedure(spec, spec.credentialChange, ['services', i, 'credentialChange'], findings);
    checkUsmService(spec, i, doc.credentials, findings);
    return service;
  });
}

/** The placeholders a credentialChange template may use. */
export const TEMPLATE_PLACEHOLDERS = ['username', 'oldPassword', 'newPassword'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
export const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** A change procedure must change something jcstar can log in with, over the service's own protocol. */
function checkChangeProcedure(spec: ServiceSpec, change: CredentialChange, path: Array<string | number>, findings: Finding[]): void {
  if (spec.credential === undefined) findings.push({ path, message: 'a change procedure needs services[].credential, the credential it changes', atKey: true });
  const [via, template, field] = 'http' in change ? ['http', change.http.body, 'body'] : ['ssh', change.ssh.command, 'command'];
  const fits = via === 'ssh' ? spec.protocol === 'ssh' : spec.protocol === 'http' || spec.protocol === 'https';
  if (!fits) findings.push({ path: [...path, via], message: `an ${via} procedure needs an ${via === 'ssh' ? 'ssh' : 'http or https'} service; ${spec.name} is ${spec.protocol}`, atKey: true });
  const used = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  const unknown = used.filter((name) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    findings.push({ path: [...path, via, field], message: `unknown placeholder {{${unknown[0]}}}; expected ${TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` });
  } else if (!used.includes('newPassword')) {
    findings.push({ path: [...path, via, field], message: 'expected {{newPassword}} in the template, or the procedure cannot set the new value' });
  }
}

export async function resolveCredentials(specs: ProfileDocument['credentials'], sources: SecretSources, findings: Finding[]) {
  const credentials: Record<string, Credential> = {};
  const secrets: Secret[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const credential: Credential = { name };
    if (spec.username !== undefined) credential.username = spec.username;
    for (const field of ['password', 'key', 'clientCertificate', 'clientKey'] as const) {
      const ref = spec[field];
      if (ref === undefined) continue;
      const path = ['credentials', name, field];
      const result = await resolveSecret(ref, formatPath(path), sources);
      if (result.ok) {
        credential[field] = result.secret;
        // A certificate is public: only what would let someone log in is redacted.
        if (field !== 'clientCertificate') secrets.push(result.secret);
      } else findings.push({ path, message: result.message });
    }
    const snmpv3 = spec.snmpv3 && (await resolveSnmpv3(name, spec.snmpv3, sources, findings, secrets));
    if (snmpv3) credential.snmpv3 = snmpv3;
    checkClientCertificate(name, credential, findings);
    if (spec.psk) {
      const psk = await resolvePsk(name, spec.psk, sources, findings);
      if (psk) {
        credential.psk = psk;
        secrets.push(psk.key);
      }
    }
    credentials[name] = credential;
  }
  return { credentials, secrets };
}

/** A client certificate is useless without its key and the other way round; both must be PEM. */
function checkClientCertificate(name: string, credential: Credential, findings: Finding[]): void {
  const { clientCertificate, clientKey } = credential;
  if (clientCertificate && !clientKey) findings.push({ path: ['credentials', name, 'clientCertificate'], message: 'a clientCertificate needs clientKey, the PEM private key that goes with it', atKey: true });
  if (clientKey && !clientCertificate) findings.push({ path: ['credentials', name, 'clientKey'], message: 'a clientKey needs clientCertificate, the PEM certificate it belongs to', atKey: true });
  if (clientCertificate && !PEM_CERTIFICATE.test(clientCertificate.reveal())) {
    findings.push({ path: ['credentials', name, 'clientCertificate'], message: 'expected a PEM certificate (-----BEGIN CERTIFICATE-----)' });
  }
  if (clientKey && !PEM_PRIVATE_KEY.test(clientKey.reveal())) {
    findings.push({ path: ['credentials', name, 'clientKey'], message: 'expected a PEM private key (-----BEGIN … PRIVATE KEY-----)' });
    return;
  }
  if (!clientCertificate || !clientKey || !PEM_CERTIFICATE.test(clientCertificate.reveal())) return;
  try {
    // What a TLS connection would do with them, now rather than at the first handshake.
    createSecureContext({ cert: clientCertificate.reveal(), key: clientKey.reveal() });
  } catch (err) {
    // OpenSSL names the fault ("key values mismatch", "unsupported"), never the key's bytes.
    const reason = err instanceof Error ? err.message.split('\n')[0]!.replace(/^error:[0-9A-Fa-f]+:[^:]*:[^:]*:/, '') : 'unknown error';
    findings.push({ path: ['credentials', name, 'clientKey'], message: `clientCertificate and clientKey do not make a usable TLS client pair (${reason})` });
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const HEX_KEY = /^(?:[0-9A-Fa-f]{2})+$/;

async function resolvePsk(name: string, spec: NonNullable<ProfileDocument['credentials'][string]['psk']>, sources: SecretSources, findings: Finding[]): Promise<PresharedKey | null> {
  const path = ['credentials', name, 'psk', 'key'];
  const result = await resolveSecret(spec.key, formatPath(path), sources);
  if (!result.ok) {
    findings.push({ path, message: result.message });
    return null;
  }
  const keyFormat = spec.keyFormat ?? 'text';
  if (keyFormat === 'hex' && !HEX_KEY.test(result.secret.reveal())) {
    // The message never quotes the key.
    findings.push({ path, message: 'keyFormat is hex, but the key is not an even number of hex digits' });
    return null;
  }
  return { identity: spec.identity, key: result.secret, keyFormat };
}

/** Fleet units with their initial passwords resolved; a unit listed twice is a mistake in the profile. */
export async function resolveFleet(specs: ProfileDocument['fleet'], sources: SecretSources, findings: Finding[]) {
  const fleet: FleetUnit[] = [];
  const secrets: Secret[] = [];
  const firstByUnit = new Map<string, number>();
  for (const [i, spec] of (specs ?? []).entries()) {
    const first = firstByUnit.get(spec.unit);
    if (first === undefined) firstByUnit.set(spec.unit, i);
    else findings.push({ path: ['fleet', i, 'unit'], message: `unit "${spec.unit}" is already listed as fleet[${first}]` });
    const path = ['fleet', i, 'initialPassword'];
    const result = await resolveSecret(spec.initialPassword, formatPath(path), sources);
    if (!result.ok) {
      findings.push({ path, message: result.message });
      continue;
    }
    fleet.push({ unit: spec.unit, ...(spec.mac !== undefined ? { mac: spec.mac } : {}), initialPassword: result.secret });
    secrets.push(result.secret);
  }
  return { fleet, secrets };
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

/** The crypto rules with the profile's changes: restrictions must narrow them, permits must loosen them. */
export function mergeCrypto(changes: ProfileDocument['crypto'], findings: Finding[]): EffectiveCryptoRules | undefined {
  const { rules, problems } = effectiveCryptoRules(changes);
  for (const problem of problems) findings.push({ ...problem, path: ['crypto', ...problem.path] });
  return problems.length > 0 ? undefined : rules;
}
