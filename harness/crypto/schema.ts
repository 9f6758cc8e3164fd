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

/** Items that share a severity for one reason; the reason is quoted in every verdict that names them. */
const severityGroup = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    why: z.string().min(3).describe('Why these items are judged so, quoted in the verdict'),
    items: z.array(item).min(1),
  });

/**
 * One judged list: `allow` is clean; `warn` is not recommended but safe while a clean item is negotiated
 * first (the check verifies that it is, or fails the item); `fail` lists what allows eavesdropping or
 * forgery now, with why. Anything on no list fails too: `fail` only names the reason.
 */
const severityList = <T extends z.ZodType>(item: T, what: string) =>
  z
    .strictObject({
      allow: names(item).describe(`Clean ${what}`),
      warn: z.array(severityGroup(item)).default([]).describe(`${what} that are a warning while a clean one is negotiated first, and a failure otherwise`),
      fail: z.array(severityGroup(item)).default([]).describe(`${what} that fail, grouped by reason (anything unlisted fails too)`),
    })
    .describe(`${what}: allowed, warn or fail`);

/** One judged list as loaded; the profile's changes keep the shape (harness/crypto/effective.ts). */
export interface SeverityList {
  allow: string[];
  warn: Array<{ why: string; items: string[] }>;
  fail: Array<{ why: string; items: string[] }>;
}

/** Strictest first: a restriction may only move towards the start, a permit only towards the end. */
export const LEVELS = {
  compression: ['forbidden', 'allowed'],
  secureRenegotiation: ['required', 'optional'],
  trust: ['fail', 'review'],
} as const;

export const TlsRules = z.strictObject({
  versions: severityList(z.enum(TLS_VERSIONS), 'Protocol versions a server may accept'),
  cipherSuites: severityList(z.string().min(1), 'IANA cipher suite names a server may accept, on any allowed version'),
  groups: severityList(z.string().min(1), 'Key-exchange groups (IANA names) a server may agree to'),
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
  versions: severityList(z.enum(DTLS_VERSIONS), 'DTLS versions a server may accept'),
  cipherSuites: severityList(z.string().min(1), 'IANA cipher suite names a DTLS server may accept'),
});

export const SshRules = z.strictObject({
  kex: severityList(sshName, 'Key exchange methods'),
  /** Names a KEXINIT carries in its kex list that are not key exchanges: never judged, never a clean option. */
  kexMarkers: z.array(sshName).describe('Signalling names in the kex list (ext-info-s, strict kex): not key exchanges, not judged'),
  hostKey: severityList(sshName, 'Host key algorithms'),
  encryption: severityList(sshName, 'Ciphers'),
  mac: severityList(sshName, 'MACs'),
  compression: severityList(sshName, 'Compression methods'),
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
    const unknown = (path: Array<string | number>, known: Set<string>, list: SeverityList, what: string) => {
      const check = (at: Array<string | number>, items: string[]) =>
        items.forEach((name, i) => known.has(name) || ctx.addIssue({ code: 'custom', path: [...path, ...at, i], message: `unknown ${what} "${name}"` }));
      check(['allow'], list.allow);
      for (const severity of ['warn', 'fail'] as const) list[severity].forEach((group, g) => check([severity, g, 'items'], group.items));
    };
    unknown(['tls', 'cipherSuites'], KNOWN_SUITES, rules.tls.cipherSuites, 'cipher suite');
    unknown(['tls', 'groups'], KNOWN_GROUPS, rules.tls.groups, 'group');
    unknown(['dtls', 'cipherSuites'], KNOWN_SUITES, rules.dtls.cipherSuites, 'cipher suite');
    for (const [section, lists] of Object.entries({ tls: rules.tls, dtls: rules.dtls, ssh: rules.ssh })) {
      for (const [key, value] of Object.entries(lists)) {
        if (typeof value !== 'object' || Array.isArray(value)) continue;
        const list = value as SeverityList;
        const seen = new Set<string>();
        for (const name of [...list.allow, ...list.warn.flatMap((g) => g.items), ...list.fail.flatMap((g) => g.items)]) {
          if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [section, key], message: `"${name}" is listed twice: each item has one severity` });
          seen.add(name);
        }
      }
    }
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

/** How a rule loosens and tightens; a `judged` list has allowed, warn and fail items. */
export type RuleKind = 'judged' | 'allow' | 'deny' | 'minimum' | 'level';

/** Every rule a profile may name, as "section.key", with its kind and (for allow-lists) the registry of valid names. */
export const RULES = {
  'tls.versions': { kind: 'judged', known: TLS_VERSIONS },
  'tls.cipherSuites': { kind: 'judged', known: [...KNOWN_SUITES] },
  'tls.groups': { kind: 'judged', known: [...KNOWN_GROUPS] },
  'tls.minDhePrimeBits': { kind: 'minimum' },
  'tls.compression': { kind: 'level', levels: LEVELS.compression },
  'tls.secureRenegotiation': { kind: 'level', levels: LEVELS.secureRenegotiation },
  'certificate.keyTypes': { kind: 'allow', known: CERTIFICATE_KEY_TYPES },
  'certificate.minRsaBits': { kind: 'minimum' },
  'certificate.minEcBits': { kind: 'minimum' },
  'certificate.forbiddenSignatureHashes': { kind: 'deny' },
  'certificate.untrusted': { kind: 'level', levels: LEVELS.trust },
  'certificate.hostMismatch': { kind: 'level', levels: LEVELS.trust },
  'dtls.versions': { kind: 'judged', known: DTLS_VERSIONS },
  'dtls.cipherSuites': { kind: 'judged', known: [...KNOWN_SUITES] },
  'ssh.kex': { kind: 'judged' },
  'ssh.hostKey': { kind: 'judged' },
  'ssh.encryption': { kind: 'judged' },
  'ssh.mac': { kind: 'judged' },
  'ssh.compression': { kind: 'judged' },
  'ssh.minRsaHostKeyBits': { kind: 'minimum' },
} as const satisfies Record<string, { kind: RuleKind; known?: readonly string[]; levels?: readonly string[] }>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as [RuleId, ...RuleId[]];

/** A restriction of a judged list names the items to keep; every other item fails. */
const keep = <T extends z.ZodType>(item: T) => names(item).describe('The items to keep (allowed or warn); every other item fails');

/** Narrower allow-lists, longer deny-lists, higher minimums, stricter levels: no justification needed. */
export const CryptoRestrict = z
  .strictObject({
    tls: TlsRules.extend({ versions: keep(z.enum(TLS_VERSIONS)), cipherSuites: keep(z.string().min(1)), groups: keep(z.string().min(1)) }).partial(),
    certificate: CertificateRules.partial(),
    dtls: DtlsRules.extend({ versions: keep(z.enum(DTLS_VERSIONS)), cipherSuites: keep(z.string().min(1)) }).partial(),
    ssh: SshRules.omit({ kexMarkers: true }).extend({ kex: keep(sshName), hostKey: keep(sshName), encryption: keep(sshName), mac: keep(sshName), compression: keep(sshName) }).partial(),
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
  .describe('Loosen one crypto rule by one item, with a justification (on a judged list, the item becomes allowed, without a warning)');

export const CryptoProfile = z
  .strictObject({
    restrict: CryptoRestrict.default({}),
    permit: z.array(CryptoPermit).default([]),
  })
  .describe('Changes to the crypto rules (catalogue/crypto/crypto-rules.yaml): tighten freely, loosen only with a justification');

export type CryptoRestrict = z.infer<typeof CryptoRestrict>;
export type CryptoPermit = z.infer<typeof CryptoPermit>;
export type CryptoProfile = z.infer<typeof CryptoProfile>;
