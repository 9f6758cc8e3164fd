import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UpdateSpec } from '../../../harness/profile/update-schema.js';
import type { SwupdateDevice } from './device.js';
import { buildSwu, type SwuSigner } from './images.js';

/**
 * The profile sections a user would write for the swupdate fixture: the web service that shows /version and
 * the `update` section (hawkBit pull, jcstar's server where the device's suricatta url points, genuine and
 * older signed images, the vendor certificate SWUpdate verifies with).
 */

export interface SwupdateProfileOptions {
  /** Folder the image files are written to (the profile's folder, so that paths can be relative). */
  dir: string;
  vendor: SwuSigner;
  controllerId: string;
  tenant?: string;
  /** jcstar's update server: where the device's serverUrl points. */
  server: { address: string; port: number; certificateFile?: string; keyRef?: string; plainPort?: number };
  genuineVersion: string;
  olderVersion: string;
}

export interface SwupdateProfileSections {
  service: { name: string; protocol: 'http'; port: number; auth: 'none' };
  update: UpdateSpec;
}

export function swupdateProfileSections(device: SwupdateDevice, options: SwupdateProfileOptions): SwupdateProfileSections {
  const genuine = join(options.dir, `firmware-${options.genuineVersion}.swu`);
  const older = join(options.dir, `firmware-${options.olderVersion}.swu`);
  writeFileSync(genuine, buildSwu(options.genuineVersion, device.firmwarePath, options.vendor));
  writeFileSync(older, buildSwu(options.olderVersion, device.firmwarePath, options.vendor));
  const { address, port, certificateFile, keyRef, plainPort } = options.server;
  return {
    service: { name: 'web', protocol: 'http', port: device.address.port, auth: 'none' },
    update: {
      version: { http: { service: 'web', path: '/version', pattern: 'version=([0-9.]+)' } },
      mechanism: { pull: { protocol: 'hawkbit', tenant: options.tenant ?? 'DEFAULT', controllerId: options.controllerId } },
      server: {
        address,
        port,
        tls: certificateFile !== undefined,
        ...(certificateFile ? { certificate: certificateFile } : {}),
        ...(keyRef ? { key: keyRef } : {}),
        ...(plainPort ? { plainPort } : {}),
        redirect: 'device-setting',
      },
      waitSeconds: 30,
      settleSeconds: 3,
      images: {
        format: 'swu',
        genuine: { file: genuine, version: options.genuineVersion },
        older: { file: older, version: options.olderVersion },
        signingKey: options.vendor.certFile,
      },
    },
  };
}
