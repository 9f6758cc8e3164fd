import { z } from 'zod';
import { CryptoProfile } from '../crypto/schema.js';
import { PolicyOverrides } from '../policy/schema.js';
import { parseScopeEntry } from '../scope/guard.js';
import { HooksSpec, UpdateSpec } from './update-schema.js';

/**
 * The device profile as written in YAML. Single source of truth: the loader validates with it and
 * schemas/profile.schema.json is generated from it. Secrets appear here only as `${env:NAME}` or
 * `${file:PATH}` references; the loader resolves them into Secret objects.
 */

export const PROTOCOLS = [
  'http', 'https', 'ssh', 'telnet', 'mqtt', 'mqtts', 'coap', 'coaps', 'rtsp', 'rtsps', 'ftp', 'ftps', 'snmp', 'upnp', 'other',
] as const;
export const AUTH_MECHANISMS = [
  'none', 'basic', 'digest', 'form', 'token', 'password', 'keyboard-interactive', 'publickey', 'certificate', 'psk', 'community',
  'usm',
] as const;
export const DEVICE_CATEGORIES = [
  'network-camera', 'router', 'smart-speaker', 'smart-home-hub', 'smart-appliance', 'sensor', 'gateway', 'printer', 'other',
] as const;

const UDP_PROTOCOLS = new Set(['coap', 'coaps', 'snmp', 'upnp']);
export function defaultTransport(protocol: string): 'tcp' | 'udp' {
  return UDP_PROTOCOLS.has(protocol) ? 'udp' : 'tcp';
}

export const SECRET_REF = /^\$\{(env|file):([^}]+)\}$/;
export const SECRET_REF_MESSAGE = 'expected a reference ${env:NAME} or ${file:PATH}, so that the secret stays out of the YAML';
const secretRef = z
  .string()
  .regex(SECRET_REF, { message: SECRET_REF_MESSAGE })
  .describe('A secret reference: ${env:NAME} or ${file:PATH} (relative to the profile)');

const nonEmpty = z.string().min(1);

const DeviceMac = z.string().regex(/^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$/, { message: 'expected a MAC address like 00:11:22:33:44:55' });

export const DeviceIdentity = z.strictObject({
  vendor: nonEmpty,
  model: nonEmpty,
  firmware: nonEmpty.describe('Firmware version under test'),
  unit: nonEmpty.describe('Serial number or unit ID of the unit under test'),
  category: z.enum(DEVICE_CATEGORIES),
  mac: DeviceMac.optional(),
  state: z.enum(['factory-fresh', 'configured']).optional().describe('factory-fresh: as shipped, before first use (needed for first-use checks)'),
});

export const FleetUnit = z.strictObject({
  unit: nonEmpty.describe('Serial number or unit ID'),
  mac: DeviceMac.optional(),
  initialPassword: secretRef.describe('The password the unit shipped with (sticker, label)'),
});

export const TargetSpec = z.strictObject({
  host: nonEmpty.describe('IP address or host name of the device; it must fall inside `scope`'),
});

const pattern = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, { message: 'expected a valid regular expression' });

export const LoginSpec = z.strictObject({
  path: z.string().startsWith('/').describe('Where the form posts, or the JSON login endpoint'),
  page: z.string().startsWith('/').optional().describe('Page to fetch first, for its cookies and CSRF token (forms)'),
  usernameField: z.string().min(1).optional().describe('Default "username"'),
  passwordField: z.string().min(1).optional().describe('Default "password"'),
  csrfField: z.string().min(1).optional().describe('Hidden CSRF input name; found automatically when absent'),
  successPattern: pattern.optional().describe('Regular expression on the response that marks a successful login'),
  failurePattern: pattern.optional().describe('Regular expression on the response that marks a refused login'),
  tokenField: z.string().min(1).optional().describe('JSON field holding the token after a successful API login; default "token"'),
});

export const PublicResource = z.strictObject({
  resource: z.string().min(1).describe('HTTP or RTSP path, MQTT topic filter or CoAP path that is public on purpose'),
  justification: z.string().min(10).describe('Why it may be reached without authentication'),
});

const template = z.string().min(1).describe('Template: {{username}}, {{oldPassword}} and {{newPassword}} are filled in');
export const CredentialChange = z.union([
  z.strictObject({
    http: z.strictObject({
      method: z.enum(['POST', 'PUT', 'PATCH']),
      path: z.string().startsWith('/'),
      contentType: z.string().min(1).optional().describe('Default application/x-www-form-urlencoded'),
      body: template,
      auth: z.enum(['basic', 'none']).optional().describe('Authenticate the change request with the current credential (default basic)'),
    }),
  }),
  z.strictObject({ ssh: z.strictObject({ command: template }) }),
]);

export const ServiceSpec = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, { message: 'expected a lowercase name (letters, digits, - _ .)' }),
  protocol: z.enum(PROTOCOLS),
  port: z.number().int().min(1).max(65535),
  transport: z.enum(['tcp', 'udp']).optional().describe('Defaults from the protocol (udp for coap, coaps, snmp, upnp)'),
  auth: z.enum(AUTH_MECHANISMS).describe('How the service authenticates users'),
  credential: z.string().optional().describe('Name of an entry in `credentials` valid on this service'),
  paths: z.array(z.string().startsWith('/')).optional().describe('HTTP paths that need authentication'),
  login: LoginSpec.optional().describe('How to log in, for auth: form or token (HTTP)'),
  public: z.array(PublicResource).optional().describe('Resources reachable without authentication on purpose'),
  credentialChange: CredentialChange.optional().describe('How to change this service\'s credential, for the S1.1-03 test'),
  trustAnchors: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('PEM files (relative to the profile) that clients of this TLS/DTLS service trust: the vendor CA, or the pinned device certificate'),
});

export const SNMP_AUTH_PROTOCOLS = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export const SNMP_PRIV_PROTOCOLS = ['des', 'aes'] as const;
/** An SNMPv3 USM user (RFC 3414, RFC 7860, RFC 3826): authNoPriv without privProtocol, authPriv with it. */
export const Snmpv3Credential = z
  .strictObject({
    user: nonEmpty.describe('USM user name (not secret)'),
    authProtocol: z.enum(SNMP_AUTH_PROTOCOLS),
    authPassword: secretRef.describe('Authentication passphrase (at least 8 characters, RFC 3414 §11.2)'),
    privProtocol: z.enum(SNMP_PRIV_PROTOCOLS).optional().describe('des (CBC-DES) or aes (CFB128-AES-128); absent: authNoPriv'),
    privPassword: secretRef.optional().describe('Privacy passphrase, with privProtocol'),
  })
  .describe('SNMPv3 user-based security, for services with auth: usm');
export const PSK_KEY_FORMATS = ['text', 'hex'] as const;
/** A DTLS/TLS pre-shared key; the identity is sent in the clear, so it is not secret. */
export const PskSpec = z.strictObject({
  identity: z.string().min(1).describe('PSK identity the client sends (not secret)'),
  key: secretRef.describe('The pre-shared key: its text is the key\'s bytes (keyFormat text) or their hex (keyFormat hex)'),
  keyFormat: z.enum(PSK_KEY_FORMATS).optional().describe('How `key` spells the key\'s bytes; default text'),
});

export const CredentialSpec = z.strictObject({
  username: z.string().optional(),
  password: secretRef.optional(),
  key: secretRef.optional().describe('Private key or token'),
  snmpv3: Snmpv3Credential.optional(),
  clientCertificate: secretRef.optional().describe('PEM certificate (chain) jcstar presents as a TLS client, e.g. ${file:certs/client.pem}; needs clientKey'),
  clientKey: secretRef.optional().describe('PEM private key of clientCertificate'),
  psk: PskSpec.optional().describe('DTLS pre-shared key (CoAPS, auth: psk)'),
});

const days = z.number().int().positive();
/**
 * No user name or password in an address: Node would send them as Basic credentials to a page that must be
 * read anonymously, and addresses are printed in check titles, evidence and reports.
 */
const hasNoUserinfo = (address: string) => {
  try {
    const parsed = new URL(address);
    return parsed.username === '' && parsed.password === '';
  } catch {
    return true; // Not an address: the url format reports it.
  }
};
const NO_USERINFO = 'expected an address without a user name or password (jcstar reads pages anonymously and prints addresses in its reports)';
const url = z.url().refine(hasNoUserinfo, { message: NO_USERINFO });
const localDocument = z
  .string()
  .min(1)
  .describe('The document that states it: a local file (relative to the profile; attached to the evidence with its SHA-256) or an https:// address');

export const PUBLIC_PAGE_PURPOSES = ['vulnerability-disclosure', 'support-period', 'product-information'] as const;
export const PublicPage = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).refine(hasNoUserinfo, { message: NO_USERINFO }).describe('The exact http(s) address jcstar may fetch, without a user name or password; a redirect must land on another listed address'),
  purpose: z.enum(PUBLIC_PAGE_PURPOSES).describe('What the page must carry: the declared VDP contact and timelines, the support end date, or the model designation'),
});

export const Declarations = z
  .strictObject({
    accessControl: z.strictObject({
      assets: z.array(nonEmpty).min(1).describe('Assets to protect (守るべき情報資産)'),
      accessPaths: z.array(nonEmpty).min(1).describe('Every way those assets can be reached, with its authentication'),
      document: localDocument.optional(),
    }),
    defaultPasswordScheme: z.strictObject({
      scheme: z.enum(['unique-per-device', 'user-set-at-first-use', 'no-password-authentication']),
      format: z.string().optional().describe('Documented generator format, e.g. "12 chars, upper/lower/digits"'),
      document: localDocument.optional(),
    }),
    authenticationChange: z.strictObject({
      procedure: nonEmpty.describe('How the end user changes each authentication value'),
      document: localDocument.optional(),
    }),
    bruteForceMitigation: z.strictObject({
      method: z.enum(['lockout', 'progressive-delay', 'rate-limit', 'high-entropy', 'two-factor', 'other']),
      unlockAfterSeconds: z.number().int().nonnegative().optional(),
      description: z.string().optional(),
    }),
    vulnerabilityDisclosurePolicy: z.strictObject({
      url,
      contact: nonEmpty,
      acknowledgeWithinDays: days,
      statusUpdateEveryDays: days,
      document: localDocument.optional(),
    }),
    updateMechanism: z.strictObject({
      method: z.enum(['automatic', 'companion-app', 'device-ui', 'manual-download', 'other']),
      description: z.string().optional(),
    }),
    updateProcedure: z.strictObject({ url: url.optional(), document: localDocument.optional(), description: z.string().optional() }),
    updateIntegrity: z.strictObject({
      mechanism: nonEmpty.describe('e.g. "ECDSA P-256 signature verified before install"'),
      antiRollback: z.boolean().optional(),
    }),
    communicationProtection: z.strictObject({ description: nonEmpty, cryptoReference: z.string().optional() }),
    resilience: z.strictObject({ description: nonEmpty }),
    userDataDeletion: z.strictObject({ method: nonEmpty, description: z.string().optional() }),
    supportPeriod: z.strictObject({ endsOn: z.iso.date(), url, document: localDocument.optional() }),
    productInformation: z.strictObject({
      url: url.optional(),
      modelDesignation: nonEmpty.describe('The model number as the user reads it on the label and in the UI (S1.1-10), e.g. "IPC-200"'),
    }),
    secureStorage: z.strictObject({
      assets: z
        .array(
          z.strictObject({
            asset: nonEmpty.describe('What is stored, e.g. "administrator password", "Wi-Fi passphrase", "TLS private key"'),
            storage: nonEmpty.describe('Where it is stored, e.g. "eMMC config partition", "secure element"'),
            protection: nonEmpty.describe('How it is protected at rest, e.g. "AES-256-GCM, key in the secure element", "PBKDF2-HMAC-SHA256 hash"'),
            cryptoReference: z.string().optional().describe('The list the ciphers come from, e.g. "CRYPTREC 電子政府推奨暗号リスト 2023"'),
          }),
        )
        .min(1)
        .describe('Every asset to protect the device keeps in storage (S1.1-11)'),
      document: localDocument.optional(),
    }),
    pstiCompliance: z
      .strictObject({
        statementOfCompliance: nonEmpty.describe('The UK PSTI statement of compliance (a local file, relative to the profile); attached to the evidence with its SHA-256'),
        issuedOn: z.iso.date().optional().describe('The date the statement was issued'),
      })
      .describe('UK PSTI compliance: IPA deems S1.1-02, -05 and -16 met under mutual recognition (not observed by jcstar)'),
  })
  .partial()
  .describe('Vendor declarations for the items ★1 evaluates on documents (ICS/IXIT style)');

export const ProfileDocument = z.strictObject({
  $schema: z.string().optional(),
  device: DeviceIdentity,
  target: TargetSpec,
  scope: z
    .array(
      z.string().refine((entry) => parseScopeEntry(entry) !== null, {
        message: 'expected an IP address or CIDR (e.g. 192.0.2.10 or 192.0.2.0/24)',
      }),
    )
    .min(1)
    .describe('IP addresses and CIDRs jcstar may touch; anything else is refused'),
  services: z.array(ServiceSpec).default([]),
  credentials: z.record(z.string(), CredentialSpec).default({}),
  declarations: Declarations.default({}),
  publicPages: z
    .array(PublicPage)
    .optional()
    .describe('Vendor web pages outside the device\'s scope that jcstar may fetch (anonymous GET, no cookies, bounded); without this list nothing outside the scope is contacted'),
  fleet: z.array(FleetUnit).optional().describe('Other units of the same model, for the unique-per-device check (S1.1-02)'),
  policy: PolicyOverrides.default({}),
  crypto: CryptoProfile.default({ restrict: {}, permit: [] }),
  update: UpdateSpec.optional().describe('The update path: version read, mechanism, jcstar\'s update server, images (S1.1-06/08)'),
  hooks: HooksSpec.optional().describe('Lab-host commands and device actions for power, network and reset tests (S1.1-14/15)'),
});

export type ProfileDocument = z.infer<typeof ProfileDocument>;
export type ServiceSpec = z.infer<typeof ServiceSpec>;
export type LoginSpec = z.infer<typeof LoginSpec>;
export type CredentialChange = z.infer<typeof CredentialChange>;
export type FleetUnit = z.infer<typeof FleetUnit>;
export type Declarations = z.infer<typeof Declarations>;
export type PublicPage = z.infer<typeof PublicPage>;
export type Protocol = (typeof PROTOCOLS)[number];
export type PskKeyFormat = (typeof PSK_KEY_FORMATS)[number];
export type AuthMechanism = (typeof AUTH_MECHANISMS)[number];
