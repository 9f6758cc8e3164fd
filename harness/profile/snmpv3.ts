import type { z } from 'zod';
import type { Secret } from '../secrets/secret.js';
import { formatPath } from './errors.js';
import type { Finding } from './finding.js';
import { resolveSecret, type SecretSources } from './resolve-secrets.js';
import type { ProfileDocument, ServiceSpec, Snmpv3Credential } from './schema.js';
import type { Snmpv3User } from './types.js';

/** RFC 3414 §11.2: a USM passphrase shorter than this is refused (net-snmp refuses it too). */
const MIN_PASSPHRASE = 8;

/** Resolves a credential's `snmpv3` block; its passphrases join `secrets`, so the redactor gets them. */
export async function resolveSnmpv3(
  name: string,
  spec: z.infer<typeof Snmpv3Credential>,
  sources: SecretSources,
  findings: Finding[],
  secrets: Secret[],
): Promise<Snmpv3User | undefined> {
  const at = (field: string) => ['credentials', name, 'snmpv3', field];
  const passphrase = async (field: 'authPassword' | 'privPassword', ref: string): Promise<Secret | undefined> => {
    const path = at(field);
    const result = await resolveSecret(ref, formatPath(path), sources);
    if (!result.ok) {
      findings.push({ path, message: result.message });
      return undefined;
    }
    secrets.push(result.secret);
    if (result.secret.reveal().length < MIN_PASSPHRASE) {
      findings.push({ path, message: `expected a passphrase of at least ${MIN_PASSPHRASE} characters (RFC 3414 §11.2), found a shorter one` });
      return undefined;
    }
    return result.secret;
  };
  if (spec.privProtocol !== undefined && spec.privPassword === undefined) {
    findings.push({ path: at('privProtocol'), atKey: true, message: `privProtocol ${spec.privProtocol} needs privPassword, the privacy passphrase` });
  }
  if (spec.privPassword !== undefined && spec.privProtocol === undefined) {
    findings.push({ path: at('privPassword'), atKey: true, message: 'privPassword needs privProtocol (des or aes)' });
  }
  const authPassword = await passphrase('authPassword', spec.authPassword);
  const privPassword = spec.privPassword === undefined ? undefined : await passphrase('privPassword', spec.privPassword);
  if (!authPassword || (spec.privProtocol !== undefined) !== (privPassword !== undefined)) return undefined;
  return {
    user: spec.user,
    authProtocol: spec.authProtocol,
    authPassword,
    ...(spec.privProtocol !== undefined && privPassword ? { privacy: { protocol: spec.privProtocol, password: privPassword } } : {}),
  };
}

/** `auth: usm` is SNMPv3's user-based security: an SNMP service, with a credential that holds an snmpv3 user when it names one. */
export function checkUsmService(spec: ServiceSpec, index: number, credentials: ProfileDocument['credentials'], findings: Finding[]): void {
  if (spec.auth !== 'usm') return;
  if (spec.protocol !== 'snmp') findings.push({ path: ['services', index, 'auth'], message: `auth usm is SNMPv3 user-based security; ${spec.name} is ${spec.protocol}` });
  const credential = spec.credential === undefined ? undefined : credentials[spec.credential];
  if (credential && !credential.snmpv3) {
    findings.push({ path: ['services', index, 'credential'], message: `auth usm needs a credential with snmpv3 (user, authProtocol, authPassword); "${spec.credential}" has none` });
  }
}
