import type { z } from 'zod';
import type { ProfileDocument } from '../profile/schema.js';
import { issueDeviceCertificates, writeTrustAnchorFile, type DeviceCertificates, type TrustAnchorFile } from './certificates.js';
import { generatePassword, type Login } from './credentials.js';
import { AccountLockout } from './lockout.js';
import { startCoapServer } from './coap-server.js';
import { startDebugPort } from './debug-port.js';
import { PROTECTED_PATHS, startHttpAdmin } from './http-admin.js';
import { startMqttBroker } from './mqtt-broker.js';
import { HARDENED_SSH_ALGORITHMS, LEGACY_SSH_ALGORITHMS } from './ssh-algorithms.js';
import { startSshServer } from './ssh-server.js';
import { RUNNING_FIRMWARE } from './update-release.js';
import { startDeviceUpdates, updateDeclarations, type DeviceUpdates } from './update-setup.js';
import type { RunningService } from './tcp.js';
import { deviceTlsOptions } from './tls-options.js';
import { startVendorSite, type VendorPublications, type VendorSite } from './vendor-site.js';

/**
 * The built-in simulated device "ACME SIM-CAM": real protocol servers (node:http and node:https, ssh2,
 * aedes, node-coap, a raw TCP shell) on a loopback address of its own, in a `secure` or an `insecure`
 * build. Its own 127.x.y.z address lets it keep the debug shell on the well-known port 2323, as real
 * devices do, without colliding with other instances or with whatever else listens on 127.0.0.1.
 *
 * secure:   admin/<20 random chars> on https and mqtts (TLS 1.2+, a certificate from the device's own CA),
 *           the same password for ssh user admin (hardened algorithms); no debug port.
 * insecure: admin/admin on plain http and mqtt, root/root on ssh (legacy algorithms too), and an
 *           undeclared BusyBox shell on tcp.
 * Both run firmware 1.2.0 and poll a hawkBit update server on the next loopback address (update-setup.ts):
 * the secure build installs only a newer, vendor-signed image over verified HTTPS; the insecure one any
 * well-formed image.
 */

export type SimulatorMode = 'secure' | 'insecure';

/** The secure build's account lockout: enough failures to leave default-credential trials alone. */
export const LOCKOUT_THRESHOLD = 8;
export const LOCKOUT_SECONDS = 7;

export interface SimulatedService {
  name: string;
  protocol: 'http' | 'https' | 'ssh' | 'mqtt' | 'mqtts' | 'coap' | 'telnet';
  port: number;
  transport: 'tcp' | 'udp';
  auth: 'basic' | 'password' | 'none';
  declared: boolean;
}

export interface SimulatedDevice {
  mode: SimulatorMode;
  host: string;
  /** Every listening service, declared or not. */
  services: SimulatedService[];
  /** The device's valid login on http and mqtt. */
  admin: { username: string; password: string };
  /** The valid ssh login. */
  ssh: { username: string; password: string };
  /** Service name -> authentication attempts the device has seen (live; see each service for what counts). */
  authAttempts: Record<string, number>;
  /** The CA that issued the secure build's TLS certificate, and the file the profile names it by; null when insecure. */
  trustAnchor: { path: string; pem: string } | null;
  /** The update client: the firmware the device runs now, and what it made of each offered update. */
  updates: DeviceUpdates;
  /** The device profile as the vendor would declare it, plus the environment its secret references need. */
  profileDocument(): { document: Record<string, unknown>; env: Record<string, string> };
  close(): Promise<void>;
}

export interface SimulatorOptions {
  mode: SimulatorMode;
  /** Fixed port per service name (web-admin, ssh, telemetry, coap, debug); 0 or absent = ephemeral. */
  ports?: Partial<Record<string, number>>;
  /** Loopback address to bind; default a random one in 127.0.0.0/8. */
  host?: string;
  /** One unit of a fleet: its serial, MAC and (secure build) initial password; default SIM-0001 and a random password. */
  unit?: { unit: string; mac: string; initialPassword?: string };
}

/** Where an undeclared debug shell listens by default: the Mirai-era alternate Telnet port. */
export const DEBUG_SHELL_PORT = 2323;
export const SIMULATOR_SERVICE_NAMES = ['web-admin', 'ssh', 'telemetry', 'coap', 'debug'] as const;
export const ADMIN_PASSWORD_ENV = 'JCSTAR_SIM_ADMIN_PASSWORD';
export const SSH_PASSWORD_ENV = 'JCSTAR_SIM_SSH_PASSWORD';
/** A second simulated unit of the same model, so that the secure build can show unique-per-device passwords. */
export const FLEET_UNIT_PASSWORD_ENV = 'JCSTAR_SIM_UNIT2_PASSWORD';
const UNIT = 'SIM-0001';

type ServiceName = (typeof SIMULATOR_SERVICE_NAMES)[number];
type ProfileInput = z.input<typeof ProfileDocument>;

interface ServicePlan {
  service: Omit<SimulatedService, 'port'>;
  start(port: number): Promise<RunningService>;
}

/** A random address in 127.0.0.0/8, avoiding 127.0.0.x where other local services usually sit. */
export function randomLoopbackAddress(): string {
  const octet = () => 1 + Math.floor(Math.random() * 254);
  return `127.${octet()}.${octet()}.${octet()}`;
}

function portFor(ports: SimulatorOptions['ports'], name: ServiceName): number {
  const port = ports?.[name] ?? (name === 'debug' ? DEBUG_SHELL_PORT : 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`simulator: invalid port ${String(port)} for service ${name}`);
  return port;
}

function credentialsFor(mode: SimulatorMode, initialPassword: string | undefined): { admin: Login; ssh: Login } {
  if (mode === 'insecure') return { admin: { username: 'admin', password: 'admin' }, ssh: { username: 'root', password: 'root' } };
  const password = initialPassword ?? generatePassword(20);
  return { admin: { username: 'admin', password }, ssh: { username: 'admin', password } };
}

/** What the secure build's vendor declares and publishes on its site (vendor-site.ts). */
const PUBLISHED: VendorPublications = {
  vdp: { contact: 'psirt@acme.example', acknowledgeWithinDays: 5, statusUpdateEveryDays: 30 },
  support: { endsOn: '2030-03-31' },
  modelDesignation: 'ACME SIM-CAM',
};

function secureDeclarations(): NonNullable<ProfileInput['declarations']> {
  return {
    accessControl: {
      assets: ['camera video stream', 'device configuration', 'administrator credentials', 'telemetry messages'],
      accessPaths: [
        'web-admin: HTTPS admin UI, HTTP Basic authentication or login form',
        'ssh: maintenance shell, password or keyboard-interactive authentication',
        'telemetry: MQTT broker over TLS, username/password in CONNECT',
        'coap: read-only status resource, no authentication, no protected assets',
      ],
    },
    defaultPasswordScheme: { scheme: 'unique-per-device', format: '20 chars, upper/lower/digits' },
    authenticationChange: {
      procedure: 'Web admin > Settings > Users > Change password; the new password applies to the web UI, ssh and MQTT',
    },
    bruteForceMitigation: {
      method: 'lockout',
      unlockAfterSeconds: LOCKOUT_SECONDS,
      description: `An account locks for ${LOCKOUT_SECONDS} s after ${LOCKOUT_THRESHOLD} consecutive failed logins on any service`,
    },
    vulnerabilityDisclosurePolicy: { url: 'https://acme.example/psirt', ...PUBLISHED.vdp },
    ...updateDeclarations('secure'),
    communicationProtection: {
      description:
        'The admin UI (HTTPS) and telemetry (MQTT over TLS) accept only TLS 1.2 and 1.3 with ECDHE and AEAD suites, and present an ' +
        'RSA 2048 certificate signed with SHA-256 by the ACME device CA; the maintenance shell is SSH with curve25519 or ECDH key exchange, ' +
        'AES-GCM or AES-CTR and SHA-2 MACs. CoAP carries only the public liveness flag; the camera has no cloud connection',
      cryptoReference: 'CRYPTREC 電子政府推奨暗号リスト and CRYPTREC TLS 暗号設定ガイドライン 3.0.1 (推奨セキュリティ型)',
    },
    resilience: { description: 'Credentials and the installed firmware live in flash and survive power loss' },
    userDataDeletion: { method: 'Web admin > Maintenance > Factory reset', description: 'Erases recordings, settings and credentials' },
    supportPeriod: { endsOn: PUBLISHED.support.endsOn, url: 'https://acme.example/support' },
    productInformation: { url: 'https://acme.example/products/sim-cam', modelDesignation: PUBLISHED.modelDesignation },
    secureStorage: {
      assets: [
        { asset: 'administrator and SSH passwords', storage: 'config partition (flash)', protection: 'PBKDF2-HMAC-SHA256, 100000 iterations, per-device salt', cryptoReference: 'CRYPTREC 電子政府推奨暗号リスト 2023' },
        { asset: 'TLS private key and device certificate', storage: 'secure element', protection: 'AES-256-GCM, key sealed in the secure element', cryptoReference: 'CRYPTREC 電子政府推奨暗号リスト 2023' },
        { asset: 'camera recordings', storage: 'SD card', protection: 'AES-128-CTR with a per-device key from the secure element', cryptoReference: 'CRYPTREC 電子政府推奨暗号リスト 2023' },
      ],
    },
  };
}

export async function startSimulatedDevice(options: SimulatorOptions): Promise<SimulatedDevice> {
  const { mode } = options;
  if (mode !== 'secure' && mode !== 'insecure') throw new Error(`simulator: unknown mode ${String(mode)}`);
  for (const name of Object.keys(options.ports ?? {})) {
    if (!(SIMULATOR_SERVICE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`simulator: unknown service ${name} in ports (expected one of ${SIMULATOR_SERVICE_NAMES.join(', ')})`);
    }
  }

  const host = options.host ?? randomLoopbackAddress();
  const { admin, ssh } = credentialsFor(mode, options.unit?.initialPassword);
  const unit = options.unit ?? { unit: UNIT, mac: '02:00:5e:00:00:01' };
  const secondUnitPassword = generatePassword(20);
  const lockout = mode === 'secure' ? new AccountLockout(LOCKOUT_THRESHOLD, LOCKOUT_SECONDS * 1000) : undefined;
  const authAttempts: Record<string, number> = {};
  const counter = (name: string) => () => {
    authAttempts[name] = (authAttempts[name] ?? 0) + 1;
  };

  // Both make RSA keys, which can take a second each: side by side, the device starts sooner.
  const updatesStarting = startDeviceUpdates({ build: mode, host, controllerId: unit.unit });
  updatesStarting.catch(() => { /* awaited below */ });
  let certificates: DeviceCertificates | null;
  try {
    certificates = mode === 'secure' ? await issueDeviceCertificates(host) : null;
  } catch (err) {
    await updatesStarting.then((u) => u.close(), () => undefined);
    throw err;
  }
  const updates = await updatesStarting;
  const tls = certificates ? deviceTlsOptions(certificates) : undefined;
  const algorithms = mode === 'secure' ? HARDENED_SSH_ALGORITHMS : LEGACY_SSH_ALGORITHMS;

  const plans: ServicePlan[] = [
    {
      service: { name: 'web-admin', protocol: tls ? 'https' : 'http', transport: 'tcp', auth: 'basic', declared: true },
      start: (port) =>
        startHttpAdmin({
          host, port, login: admin, lockout, onAuthAttempt: counter('web-admin'), tls,
          firmware: () => updates.client.firmware,
          onUpdateCheck: () => void updates.client.checkNow(),
        }),
    },
    {
      service: { name: 'ssh', protocol: 'ssh', transport: 'tcp', auth: 'password', declared: true },
      start: (port) => startSshServer({ host, port, login: ssh, lockout, onAuthAttempt: counter('ssh'), algorithms }),
    },
    {
      service: { name: 'telemetry', protocol: tls ? 'mqtts' : 'mqtt', transport: 'tcp', auth: 'password', declared: true },
      start: (port) => startMqttBroker({ host, port, login: admin, lockout, onAuthAttempt: counter('telemetry'), tls }),
    },
    {
      service: { name: 'coap', protocol: 'coap', transport: 'udp', auth: 'none', declared: true },
      start: (port) => startCoapServer({ host, port }),
    },
  ];
  if (mode === 'insecure') {
    plans.push({
      service: { name: 'debug', protocol: 'telnet', transport: 'tcp', auth: 'none', declared: false },
      start: (port) => startDebugPort({ host, port }),
    });
  }

  const running: RunningService[] = [];
  const services: SimulatedService[] = [];
  let anchorFile: TrustAnchorFile | undefined;
  let vendorSite: VendorSite | undefined;
  const closeAll = async (): Promise<void> => {
    const all = running.splice(0);
    await Promise.allSettled([...all.map((s) => s.close()), anchorFile?.remove(), updates.close(), vendorSite?.close()]);
  };
  try {
    if (certificates) anchorFile = await writeTrustAnchorFile(certificates.caPem);
    if (mode === 'secure') vendorSite = await startVendorSite(PUBLISHED);
    for (const plan of plans) {
      const started = await plan.start(portFor(options.ports, plan.service.name as ServiceName));
      running.push(started);
      services.push({ ...plan.service, port: started.port });
      authAttempts[plan.service.name] = 0;
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const trustAnchor = certificates && anchorFile ? { path: anchorFile.path, pem: certificates.caPem } : null;
  const isTls = (s: SimulatedService) => s.protocol === 'https' || s.protocol === 'mqtts';

  const profileDocument = (): { document: Record<string, unknown>; env: Record<string, string> } => {
    const declared = services.filter((s) => s.declared).map((s) => ({
      name: s.name,
      protocol: s.protocol,
      port: s.port,
      transport: s.transport,
      auth: s.auth,
      ...(s.name === 'web-admin' ? { credential: 'admin', paths: [...PROTECTED_PATHS] } : {}),
      ...(s.name === 'telemetry' ? { credential: 'admin' } : {}),
      ...(s.name === 'ssh' ? { credential: 'ssh' } : {}),
      ...(s.name === 'coap'
        ? { public: [{ resource: '/status', justification: 'read-only liveness flag {"ok":true}: no asset, no configuration, no personal data' }] }
        : {}),
      ...(trustAnchor && isTls(s) ? { trustAnchors: [trustAnchor.path] } : {}),
    }));
    const document: ProfileInput = {
      device: { vendor: 'ACME', model: 'SIM-CAM', firmware: RUNNING_FIRMWARE, unit: unit.unit, category: 'network-camera', mac: unit.mac },
      target: { host },
      scope: [`${host}/32`],
      services: declared,
      credentials: {
        admin: { username: admin.username, password: `\${env:${ADMIN_PASSWORD_ENV}}` },
        ssh: { username: ssh.username, password: `\${env:${SSH_PASSWORD_ENV}}` },
      },
      declarations:
        mode === 'secure'
          ? secureDeclarations()
          : {
              // Its paperwork is in order (S1.1-16 complete); what fails it is on the wire.
              supportPeriod: { endsOn: '2030-03-31', url: 'https://acme.example/support' },
              productInformation: { url: 'https://acme.example/products/sim-cam', modelDesignation: 'ACME SIM-CAM' },
              ...updateDeclarations('insecure'),
            },
      ...(vendorSite ? { publicPages: vendorSite.pages } : {}),
      ...(mode === 'secure' ? { fleet: [{ unit: 'SIM-0002', mac: '02:00:5e:00:00:02', initialPassword: `\${env:${FLEET_UNIT_PASSWORD_ENV}}` }] } : {}),
      // The simulator's loopback address also reaches the host's wildcard listeners (a developer's web
      // server on 0.0.0.0:8080), which are not the device's; so scan only where the simulator itself may listen.
      policy: { portScan: { tcpPorts: String(DEBUG_SHELL_PORT) }, udpScan: { payloadTable: false } },
      update: updates.profileSection('web-admin'),
    };
    return {
      document: structuredClone(document) as Record<string, unknown>,
      env: {
        [ADMIN_PASSWORD_ENV]: admin.password,
        [SSH_PASSWORD_ENV]: ssh.password,
        ...(mode === 'secure' ? { [FLEET_UNIT_PASSWORD_ENV]: secondUnitPassword } : {}),
      },
    };
  };

  return {
    mode,
    host,
    services,
    admin: { ...admin },
    ssh: { ...ssh },
    authAttempts,
    trustAnchor,
    updates,
    profileDocument,
    close: () => (closing ??= closeAll()),
  };
}
