import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * SWUpdate images (.swu) made as SWUpdate's documentation makes them: a libconfig sw-description whose
 * `files` entry the rawfile handler installs, signed with `openssl cms` (DER, detached), and a `cpio -H crc`
 * archive with sw-description first and its signature second. The parts are separate so that a test can
 * pack a changed sw-description with the signature of the original.
 */

/** What the fixture device's swupdate is started with (-H); every image names it as compatible. */
export const FIXTURE_HARDWARE = { board: 'jcstar-fixture', revision: '1.0' };

/** The firmware file the device installs: its first line is what the device's /version shows. */
export function firmwarePayload(version: string): Buffer {
  return Buffer.from(`version=${version}\njcstar swupdate fixture firmware\n`);
}

export interface SwuSigner {
  certFile: string;
  keyFile: string;
}

/** A self-signed RSA signing certificate (purpose emailProtection, SWUpdate's default) and its key. */
export function makeSigner(dir: string, commonName: string): SwuSigner {
  const signer = { certFile: join(dir, `${commonName}.pem`), keyFile: join(dir, `${commonName}.key`) };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', `/CN=${commonName}`, '-keyout', signer.keyFile, '-out', signer.certFile, '-addext', 'extendedKeyUsage=emailProtection']);
  return signer;
}

/** sw-description for one firmware file, installed by the rawfile handler at `installPath`. */
export function swDescription(version: string, installPath: string, payload: Buffer): string {
  const sha256 = createHash('sha256').update(payload).digest('hex');
  return `software =
{
\tversion = "${version}";
\tdescription = "jcstar swupdate fixture";
\thardware-compatibility: [ "${FIXTURE_HARDWARE.revision}" ];
\tfiles: (
\t\t{
\t\t\tfilename = "firmware.bin";
\t\t\tpath = "${installPath}";
\t\t\tsha256 = "${sha256}";
\t\t}
\t);
}
`;
}

/** The CMS signature SWUpdate verifies: `openssl cms -sign … -outform DER -nosmimecap -binary`. */
export function signSwDescription(description: string, signer: SwuSigner): Buffer {
  return inScratch((dir) => {
    writeFileSync(join(dir, 'sw-description'), description);
    openssl(['cms', '-sign', '-in', join(dir, 'sw-description'), '-out', join(dir, 'sw-description.sig'), '-signer', signer.certFile, '-inkey', signer.keyFile, '-outform', 'DER', '-nosmimecap', '-binary']);
    return readFileSync(join(dir, 'sw-description.sig'));
  });
}

export interface SwuParts {
  description: string;
  /** null: an unsigned image, without sw-description.sig. */
  signature: Buffer | null;
  payload: Buffer;
}

/** The .swu archive: `cpio -o -H crc` over sw-description, sw-description.sig and firmware.bin, in that order. */
export function packSwu(parts: SwuParts): Buffer {
  return inScratch((dir) => {
    const names = ['sw-description'];
    writeFileSync(join(dir, 'sw-description'), parts.description);
    if (parts.signature) {
      writeFileSync(join(dir, 'sw-description.sig'), parts.signature);
      names.push('sw-description.sig');
    }
    writeFileSync(join(dir, 'firmware.bin'), parts.payload);
    names.push('firmware.bin');
    const cpio = spawnSync('cpio', ['-o', '-H', 'crc'], { cwd: dir, input: `${names.join('\n')}\n`, maxBuffer: 64 << 20, timeout: 10_000 });
    if (cpio.status !== 0) throw new Error(`cpio failed: ${cpio.stderr.toString()}`);
    return cpio.stdout;
  });
}

/** A genuine image of `version` for a device whose firmware file is `installPath`, signed by `signer` (or unsigned). */
export function buildSwu(version: string, installPath: string, signer: SwuSigner | null): Buffer {
  const payload = firmwarePayload(version);
  const description = swDescription(version, installPath, payload);
  return packSwu({ description, signature: signer ? signSwDescription(description, signer) : null, payload });
}

function openssl(args: string[]): void {
  const run = spawnSync('openssl', args, { encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
}

function inScratch<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'jcstar-swu-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
