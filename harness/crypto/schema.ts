import { z } from 'zod';
import { CIPHER_SUITES } from '../probes/tls/cipher-suites.js';
import { DTLS_VERSIONS, NAMED_GROUPS, TLS_VERSIONS } from '../probes/tls/registry.js';

/**
 * The crypto rule set (catalogue/crypto/crypto-rules.yaml) and the parts of it a profile may change.
 * Single source: the loader validates with it and schemas/crypto-rules.schema.json is generated from it.
 */

const bits = z.number().int().positive();
/** An SSH algorithm name as it appears in a KEXINIT name-list (RFC 4251 §6): printable ASCII, no comma. */
const sshName = z.string().regex(/^[\x21-\x2b\x2d-\x7e]{1,64}$/, { message: 'expected an SSH algorithm name (printable ASCII, no comma)' });
const names = <T extends z.ZodType>(item: T) => z.array(item).min(1);

/** Strictest first: a restriction may only move towards the start, a permit only towards the end. */
export const LEVELS = {
  compression: ['forbidden', 'allowed'],
  secureRenegotiation: ['required', 'optional'],
  trust: ['fail', 'review'],
} as const;

export const TlsRules = z.strictObject({
  versions: names(z.enum(TLS_VERSIONS)).describe('Protocol versions a server may accept'),
  cipherSuites: names(z.string().min(1)).describe('IANA cipher suite names a server may accept, on any allowed version'),
  groups: names(z.string().min(1)).describe('Key-exchange groups (IANA names) a server may agree to'),
  minDhePrimeBits: bits.describe('Smallest finite-field DHE prime a server may use'),
  compression: z.enum(LEVELS.compression).describe('Whether a server may agree to TLS compression (CRIME)'),
  secureRenegotiation: z.enum(LEVELS.secureRenegotiation).describe('Whether a TLS ≤ 1.2 server must send renegotiation_info (RFC 5746)'),
});

export const CERTIFICATE_KEY_TYPES = ['RSA', 'EC', 'Ed25519', 'Ed448', 'DSA'] as const;

export const CertificateRules = z.strictObject({
  keyTypes: names(z.enum(CERTIFICATE_KEY_TYPES)).describe('Key types a server certificate may have'),
  minRsaBits: bits,
  minEcBits: bits,
  forbiddenSignatureHashes: z.array(z.string().regex(/^[a-z0-9-]+$/, { message: 'expected a hash name in lower case, e.g. sha1' })).describe('Hashes no certificate in the chain may be signed with'),
  untrusted: z.enum(LEVELS.trust).describe('A chain that leads to no trust anchor the profile names: fail, or review (MANUAL)'),
  hostMismatch: z.enum(LEVELS.trust).describe('A certificate that does not name the host: fail, or review (MANUAL)'),
});

export const DtlsRules = z.strictObject({
  versions: names(z.enum(DTLS_VERSIONS)),
  cipherSuites: names(z.string().min(1)),
});

export const SshRules = z.strictObject({
  kex: names(sshName),
  hostKey: names(sshName),
  encryption: names(sshName),
  mac: names(sshName),
  compression: names(sshName),
  minRsaHostKeyBits: bits,
});

const RULE_SECTIONS = { tls: TlsRules, certificate: CertificateRules, dtls: DtlsRules, ssh: SshRules } as const;

const KNOWN_SUITES = new Set(CIPHER_SUITES.values());
const KNOWN_GROUPS = new Set(NAMED_GROUPS.values());

/** The versioned file, with every name checked against the registries the probes offer from. */
export const CryptoRules = z
  .strictObject({
    id: z.string().min(1),
    version: z.string().min(1),
    bases: z.array(z.strictObject({ id: z.string().min(1), title: z.string().min(1), version: z.string().min(1), url: z.url().optional() })).min(1),
    changelog: z.array(z.strictObject({ version: z.string().min(1), date: z.iso.date(), changes: z.array(z.string().min(1)).min(1) })).min(1),
    ...RULE_SECTIONS,
  })
  .superRefine((rules, ctx) => {
    const unknown = (path: Array<string | number>, known: Set<string>, list: string[], what: string) =>
      list.forEach((name, i) => known.has(name) || ctx.addIssue({ code: 'custom', path: [...path, i], message: `unknown ${what} "${name}"` }));
    unknown(['tls', 'cipherSuites'], KNOWN_SUITES, rules.tls.cipherSuites, 'cipher suite');
    unknown(['tls', 'groups'], KNOWN_GROUPS, rules.tls.groups, 'group');
    unknown(['dtls', 'cipherSuites'], KNOWN_SUITES, rules.dtls.cipherSuites, 'cipher suite');
    if (rules.changelog[0]?.version !== rules.version) {
      ctx.addIssue({ code: 'custom', path: ['changelog', 0, 'version'], message: `the newest changelog entry must be for ${rules.version}` });
    }
  });

export type TlsRules = z.infer<typeof TlsRules>;
export type CertificateRules = z.infer<typeof CertificateRules>;
export type DtlsRules = z.infer<typeof DtlsRules>;
export type SshRules = z.infer<typeof SshRules>;
export type CryptoRules = z.infer<typeof CryptoRules>;
export type RuleSections = Pick<CryptoRules, keyof typeof RULE_SECTIONS>;

/** How a rule loosens and tightens. */
export type RuleKind = 'allow' | 'deny' | 'minimum' | 'level';

/** Every rule a profile may name, as "section.key", with its kind and (for allow-lists) the registry of valid names. */
export const RULES = {
  'tls.versions': { kind: 'allow', known: TLS_VERSIONS },
  'tls.cipherSuites': { kind: 'allow', known: [...KNOWN_SUITES] },
  'tls.groups': { kind: 'allow', known: [...KNOWN_GROUPS] },
  'tls.minDhePrimeBits': { kind: 'minimum' },
  'tls.compression': { kind: 'level', levels: LEVELS.compression },
  'tls.secureRenegotiation': { kind: 'level', levels: LEVELS.secureRenegotiation },
  'certificate.keyTypes': { kind: 'allow', known: CERTIFICATE_KEY_TYPES },
  'certificate.minRsaBits': { kind: 'minimum' },
  'certificate.minEcBits': { kind: 'minimum' },
  'certificate.forbiddenSignatureHashes': { kind: 'deny' },
  'certificate.untrusted': { kind: 'level', levels: LEVELS.trust },
  'certificate.hostMismatch': { kind: 'level', levels: LEVELS.trust },
  'dtls.versions': { kind: 'allow', known: DTLS_VERSIONS },
  'dtls.cipherSuites': { kind: 'allow', known: [...KNOWN_SUITES] },
  'ssh.kex': { kind: 'allow' },
  'ssh.hostKey': { kind: 'allow' },
  'ssh.encryption': { kind: 'allow' },
  'ssh.mac': { kind: 'allow' },
  'ssh.compression': { kind: 'allow' },
  'ssh.minRsaHostKeyBits': { kind: 'minimum' },
} as const satisfies Record<string, { kind: RuleKind; known?: readonly string[]; levels?: readonly string[] }>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as [RuleId, ...RuleId[]];

/** Narrower allow-lists, longer deny-lists, higher minimums, stricter levels: no justification needed. */
export const CryptoRestrict = z
  .strictObject({
    tls: TlsRules.partial(),
    certificate: CertificateRules.partial(),
    dtls: DtlsRules.partial(),
    ssh: SshRules.partial(),
  })
  .partial()
  .describe('Tighten the crypto rules: each list must be a subset of the base list (deny-lists a superset), each minimum at least the base one');

export const CryptoPermit = z
  .strictObject({
    rule: z.enum(RULE_IDS).describe('The rule to loosen, e.g. tls.cipherSuites'),
    value: z
      .union([z.string().min(1), z.number().int().positive()], { error: 'expected a name, a level or a number of bits' })
      .describe('What to allow: a name the rule does not list, a lower minimum, a looser level, or a hash to stop forbidding'),
    justification: z.string().min(10).describe('Why the device needs it; recorded with every verdict judged under it'),
  })
  .describe('Loosen one crypto rule by one item, with a justification');

export const CryptoProfile = z
  .strictObject({
    restrict: CryptoRestrict.default({}),
    permit: z.array(CryptoPermit).default([]),
  })
  .describe('Changes to the crypto rules (catalogue/crypto/crypto-rules.yaml): tighten freely, loosen only with a justification');

export type CryptoRestrict = z.infer<typeof CryptoRestrict>;
export type CryptoPermit = z.infer<typeof CryptoPermit>;
export type CryptoProfile = z.infer<typeof CryptoProfile>;
