import type { EffectiveCryptoRules } from '../crypto/effective.js';
import type { Policy } from '../policy/schema.js';
import type { ServiceIdentity } from '../inventory/types.js';
import type { Secret } from '../secrets/secret.js';
import type { HooksSpec, UpdateSpec } from './update-schema.js';
import type { Declarations, ProfileDocument, PskKeyFormat, PublicPage, SNMP_AUTH_PROTOCOLS, SNMP_PRIV_PROTOCOLS, ServiceSpec } from './schema.js';

/** A service with its transport settled. */
export interface Service extends ServiceSpec {
  transport: 'tcp' | 'udp';
  /** Found by the inventory, not declared: how it was identified. */
  discovered?: ServiceIdentity;
}

/** Another unit of the same model, with the password it shipped with (S1.1-02 unique-per-device). */
export interface FleetUnit {
  unit: string;
  mac?: string;
  initialPassword: Secret;
}

export interface Credential {
  name: string;
  username?: string;
  password?: Secret;
  key?: Secret;
  snmpv3?: Snmpv3User;
  /** PEM certificate (chain) presented as a TLS client; always with clientKey. */
  clientCertificate?: Secret;
  clientKey?: Secret;
  psk?: PresharedKey;
}

/** An SNMPv3 USM user with its passphrases resolved. */
export interface Snmpv3User {
  user: string;
  authProtocol: (typeof SNMP_AUTH_PROTOCOLS)[number];
  authPassword: Secret;
  /** Absent: authNoPriv. */
  privacy?: { protocol: (typeof SNMP_PRIV_PROTOCOLS)[number]; password: Secret };
}

/** A DTLS pre-shared key; `key` holds the key's bytes as `keyFormat` spells them. */
export interface PresharedKey {
  identity: string;
  key: Secret;
  keyFormat: PskKeyFormat;
}

/** A validated profile with secrets resolved and the policy merged: what the engine runs on. */
export interface DeviceProfile {
  source: {
    /** Path as the user gave it, or null for a profile built in memory. */
    path: string | null;
    sha256: string;
    text: string;
  };
  device: ProfileDocument['device'];
  target: {
    host: string;
    /** The IP address the host resolved to; every probe connects to this. */
    address: string;
  };
  scope: string[];
  services: Service[];
  credentials: Record<string, Credential>;
  declarations: Declarations;
  /** Folder that the declarations' local documents (and the PSTI statement) are relative to. */
  baseDir: string;
  /** The vendor pages outside the scope jcstar may fetch; empty: nothing outside the scope is contacted. */
  publicPages: PublicPage[];
  fleet: FleetUnit[];
  policy: Policy;
  /** The crypto rules with the profile's restrictions and permits applied. */
  crypto: EffectiveCryptoRules;
  /** The update section with file paths made absolute and the server key resolved; null when absent. */
  update: UpdateSettings | null;
  hooks: HooksSpec | null;
  /** The hands-on tests this run may do (profile flags and --hands-on): they can change the device. */
  handsOn: HandsOn[];
  /** Every secret the profile resolved, for the redactor. */
  secrets: Secret[];
}

export const HANDS_ON = ['update', 'resilience', 'reset'] as const;
export type HandsOn = (typeof HANDS_ON)[number];

/** `update` as the engine uses it: every file path absolute (and checked to exist), the server key a Secret. */
export interface UpdateSettings extends Omit<UpdateSpec, 'server'> {
  server?: Omit<NonNullable<UpdateSpec['server']>, 'key'> & { key?: Secret };
}
