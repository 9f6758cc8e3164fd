import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJcstarImage } from '../update/formats/jcstar-image.js';
import { issueDeviceCertificates } from './certificates.js';

/**
 * What the simulated vendor ships for the update path, made fresh at every start and written to a scratch
 * folder the profile names: the vendor's Ed25519 public key, a genuine image newer than the running
 * firmware and an older genuine one (for the rollback test), and the genuine update server's TLS
 * certificate and key, issued by the vendor's update CA, which the secure client trusts.
 */

export const RUNNING_FIRMWARE = '1.2.0';
export const GENUINE_FIRMWARE = '1.3.0';
export const OLDER_FIRMWARE = '1.1.0';
/** Big enough that a download cut half way ends inside the payload, small enough to install in a blink. */
const PAYLOAD_BYTES = 32 * 1024;

export interface UpdateRelease {
  dir: string;
  vendorKey: KeyObject;
  vendorKeyPath: string;
  genuine: { file: string; version: string };
  older: { file: string; version: string };
  server: { certificatePath: string; keyPath: string };
  /** The CA the genuine update server's certificate chains to. */
  updateCaPem: string;
  /** Deletes the folder; safe to call twice. */
  remove(): Promise<void>;
}

function firmwarePayload(version: string): Buffer {
  return Buffer.concat([Buffer.from(`ACME SIM-CAM firmware ${version}\n`), randomBytes(PAYLOAD_BYTES)]);
}

/** `serverAddress`: where the genuine update server is reached; its certificate names it. */
export async function prepareUpdateRelease(serverAddress: string): Promise<UpdateRelease> {
  const vendor = generateKeyPairSync('ed25519');
  const certificates = await issueDeviceCertificates(serverAddress, new Date(), { ca: 'ACME update CA', leaf: `ACME update server ${serverAddress}` });
  const dir = await mkdtemp(join(tmpdir(), 'jcstar-sim-update-'));
  const release: UpdateRelease = {
    dir,
    vendorKey: vendor.publicKey,
    vendorKeyPath: join(dir, 'acme-vendor-ed25519.pem'),
    genuine: { file: join(dir, `sim-cam-${GENUINE_FIRMWARE}.img`), version: GENUINE_FIRMWARE },
    older: { file: join(dir, `sim-cam-${OLDER_FIRMWARE}.img`), version: OLDER_FIRMWARE },
    server: { certificatePath: join(dir, 'update-server.pem'), keyPath: join(dir, 'update-server-key.pem') },
    updateCaPem: certificates.caPem,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  try {
    const image = (version: string) => writeJcstarImage({ version, payload: firmwarePayload(version), privateKey: vendor.privateKey });
    await Promise.all([
      writeFile(release.vendorKeyPath, vendor.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 }),
      writeFile(release.genuine.file, image(GENUINE_FIRMWARE), { mode: 0o644 }),
      writeFile(release.older.file, image(OLDER_FIRMWARE), { mode: 0o644 }),
      writeFile(release.server.certificatePath, certificates.certPem, { mode: 0o644 }),
      writeFile(release.server.keyPath, certificates.keyPem, { mode: 0o600 }),
    ]);
  } catch (err) {
    await release.remove();
    throw err;
  }
  return release;
}
