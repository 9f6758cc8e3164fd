import { createHash, type KeyObject } from 'node:crypto';
import { parseJcstarImage, verifyJcstarImage } from '../update/formats/jcstar-image.js';
import type { OfferedArtifact } from './update-hawkbit.js';
import type { UpdateResponse } from './update-transport.js';

/**
 * Whether the simulated device installs a downloaded image. The secure build checks what a careful
 * vendor's client checks: a whole download, of the announced size and SHA-256, a jcstar-image whose
 * Ed25519 signature verifies with the vendor key and whose payload matches the signed manifest, and a
 * version newer than the running one. The insecure build only needs a whole, well-formed jcstar-image.
 */

export type UpdateBuild = 'secure' | 'insecure';

export type InstallDecision = { install: true; version: string; details: string[] } | { install: false; reason: string };

/** Numeric dotted versions, compared part by part ("1.10.0" > "1.9.3"); a part that is no number compares as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const order = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}

export interface InstallContext {
  build: UpdateBuild;
  running: string;
  vendorKey: KeyObject;
}

export function decideInstall(artifact: OfferedArtifact, download: UpdateResponse, context: InstallContext): InstallDecision {
  const { body } = download;
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (context.build === 'secure') {
    if (!download.complete) return { install: false, reason: `download cut: the connection broke after ${body.length} of ${artifact.size ?? download.announcedLength ?? '?'} bytes` };
    if (artifact.size === null || artifact.sha256 === null) return { install: false, reason: 'the deployment gives no size and SHA-256 for the artifact' };
    if (body.length !== artifact.size) return { install: false, reason: `download size ${body.length} differs from the announced ${artifact.size} bytes` };
    if (sha256 !== artifact.sha256) return { install: false, reason: `download SHA-256 ${sha256} differs from the announced ${artifact.sha256}` };
  }
  const parsed = parseJcstarImage(body);
  if ('error' in parsed) return { install: false, reason: `not an image: ${parsed.error}` };
  const { version } = parsed.manifest;
  if (parsed.payload.length !== parsed.manifest.payloadSize) {
    return { install: false, reason: `truncated image: ${parsed.payload.length} of ${parsed.manifest.payloadSize} payload bytes` };
  }
  if (context.build === 'insecure') return { install: true, version, details: [`installed ${version} (sha256 ${sha256}) without verification`] };
  const verified = verifyJcstarImage(parsed, context.vendorKey);
  if (!verified.ok) return { install: false, reason: `signature check failed: ${verified.reason}` };
  if (compareVersions(version, context.running) <= 0) {
    return { install: false, reason: `anti-rollback: version ${version} is not newer than the running ${context.running}` };
  }
  return { install: true, version, details: [`verified the Ed25519 signature and payload SHA-256 of ${version} (sha256 ${sha256})`, `installed ${version}`] };
}
