import { createServer, type Server } from 'node:net';
import type { z } from 'zod';
import type { ProfileDocument } from '../profile/schema.js';
import { FIRMWARE_PATH, UPDATE_CHECK_PATH } from './http-admin.js';
import { startUpdateClient, type UpdateClient } from './update-client.js';
import type { UpdateBuild } from './update-install.js';
import { prepareUpdateRelease, RUNNING_FIRMWARE, type UpdateRelease } from './update-release.js';

/**
 * The simulated device's update path, as one piece the device wires in: the vendor's release files, the
 * client, configured with the update server's URL (the lab's "device-setting" redirect), and the
 * profile's `update` section and update declarations that describe it.
 */

type ProfileInput = z.input<typeof ProfileDocument>;
type Declarations = NonNullable<ProfileInput['declarations']>;

export const UPDATE_TENANT = 'DEFAULT';

export interface UpdateServerAddress {
  address: string;
  port: number;
  plainPort: number;
}

export interface DeviceUpdates {
  client: UpdateClient;
  release: UpdateRelease;
  /** The profile's `update` section; `webAdmin` is the service the version is read from and the check triggered on. */
  profileSection(webAdmin: string): NonNullable<ProfileInput['update']>;
  close(): Promise<void>;
}

/** The lab host's side in the demo: the device's address with the last octet one up (or down at the top). */
export function updateServerAddressFor(host: string): string {
  const octets = host.split('.').map(Number);
  const last = octets[3]!;
  octets[3] = last >= 254 ? last - 1 : last + 1;
  return octets.join('.');
}

function listenEphemeral(address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: address, port: 0, exclusive: true }, () => resolve(server));
  });
}

/** Two ports free on `address` right now: both are bound at once, so they differ, then released. */
export async function freeServerPorts(address: string): Promise<UpdateServerAddress> {
  const servers = await Promise.all([listenEphemeral(address), listenEphemeral(address)]);
  const [port, plainPort] = servers.map((s) => (s.address() as { port: number }).port) as [number, number];
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return { address, port, plainPort };
}

export function updateDeclarations(build: UpdateBuild): Pick<Declarations, 'updateMechanism' | 'updateProcedure' | 'updateIntegrity'> {
  return {
    updateMechanism: {
      method: 'automatic',
      description: 'The camera polls the ACME update server (hawkBit DDI) and installs new firmware on its own; Web admin > Maintenance > Check now asks at once',
    },
    updateProcedure: { url: 'https://acme.example/sim-cam/update', description: 'Updates install automatically; the page lists releases and how to check for one at once' },
    updateIntegrity:
      build === 'secure'
        ? {
            mechanism: 'Ed25519 signature of the vendor key over the image manifest, which binds the payload SHA-256, verified before install; HTTPS only, to a server certified by the ACME update CA',
            antiRollback: true,
          }
        : { mechanism: 'none: the image is installed as downloaded, over HTTP or HTTPS, without certificate, hash or signature check', antiRollback: false },
  };
}

export async function startDeviceUpdates(options: { build: UpdateBuild; host: string; controllerId: string }): Promise<DeviceUpdates> {
  const server = await freeServerPorts(updateServerAddressFor(options.host));
  const release = await prepareUpdateRelease(server.address);
  const endpoint = { server: new URL(`https://${server.address}:${server.port}`), tenant: UPDATE_TENANT, controllerId: options.controllerId };
  const client = startUpdateClient({
    build: options.build,
    localAddress: options.host,
    endpoint,
    updateCa: release.updateCaPem,
    vendorKey: release.vendorKey,
    firmware: RUNNING_FIRMWARE,
  });
  return {
    client,
    release,
    profileSection: (webAdmin) => ({
      handsOn: true,
      version: { http: { service: webAdmin, path: FIRMWARE_PATH, jsonPointer: '/firmware' } },
      mechanism: { pull: { protocol: 'hawkbit', tenant: UPDATE_TENANT, controllerId: options.controllerId } },
      server: {
        address: server.address,
        port: server.port,
        tls: true,
        certificate: release.server.certificatePath,
        key: `\${file:${release.server.keyPath}}`,
        plainPort: server.plainPort,
        redirect: 'device-setting',
      },
      trigger: { http: { service: webAdmin, method: 'POST', path: UPDATE_CHECK_PATH } },
      waitSeconds: 10,
      // The simulated client decides and installs before it reports, so a refusal needs no watching after it.
      settleSeconds: 0,
      images: {
        format: 'jcstar-image',
        genuine: { ...release.genuine },
        older: { ...release.older },
        signingKey: release.vendorKeyPath,
      },
    }),
    close: async () => {
      await client.close();
      await release.remove();
    },
  };
}
