import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { UpdateSpec } from '../../harness/profile/update-schema.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { startUpdateServer, type UpdateServer } from '../../harness/update/server/update-server.js';
import { makeAttackVariants } from '../../harness/update/variants.js';
import type { DeviceFeedback, ImageVariant, ServeMode, UpdateAttempt } from '../../harness/update/types.js';
import { testCertificates, type TestCertificates } from '../support/certificates.js';
import { tempDir } from '../support/run-profile.js';
import { requireSwupdateDevice, startSwupdateDevice, type SwupdateDevice, type SwupdateDeviceOptions } from '../support/swupdate/device.js';
import { buildSwu, firmwarePayload, makeSigner, packSwu, signSwDescription, swDescription, type SwuSigner } from '../support/swupdate/images.js';
import { swupdateProfileSections } from '../support/swupdate/profile.js';

/**
 * The update fixture (test/support/swupdate/): SWUpdate's suricatta polling jcstar's update server
 * (harness/update/server/, hawkBit DDI). The secure device installs only genuine, newer images from a server it
 * trusts; the insecure one (Debian's source without signature checks, -x, no -N) takes every image whose files
 * match sw-description. The version is always read back from the device's /version, never taken from its
 * feedback alone.
 */

const HOST = '127.0.0.1';
/** suricatta polls every second; an attempt ends with its final feedback, well within this. */
const ATTEMPT_MS = 30_000;
/** How long a device that refuses the server's certificate is given to show that it downloads nothing. */
const NO_CONTACT_MS = 5_000;
const SERVED: ServeMode = { channel: 'genuine-tls', cutAtHalf: false, plainDownloadLink: false };

interface Keys {
  certs: TestCertificates;
  vendor: SwuSigner;
  madeUp: SwuSigner;
}

function variant(attempt: UpdateAttempt, bytes: Buffer, version: string): ImageVariant {
  return { attempt, format: 'swu', bytes, sha256: createHash('sha256').update(bytes).digest('hex'), version, description: `fixture image for ${attempt}` };
}

/** The image attacks of issue 10 that are made of image bytes, each for the device's firmware file. */
function images(device: SwupdateDevice, keys: Keys) {
  const install = device.firmwarePath;
  return {
    genuine: (version: string) => variant('genuine', buildSwu(version, install, keys.vendor), version),
    rollback: (version: string) => variant('rollback', buildSwu(version, install, keys.vendor), version),
    wrongKey: (version: string) => variant('wrong-key', buildSwu(version, install, keys.madeUp), version),
    unsigned: (version: string) => variant('unsigned', buildSwu(version, install, null), version),
    /** sw-description changed after signing (its version string), packed with the original signature. */
    metadataChanged: (version: string, claimed: string) => {
      const payload = firmwarePayload(version);
      const description = swDescription(version, install, payload);
      const changed = description.replace(`version = "${version}"`, `version = "${claimed}"`);
      return variant('metadata-byte-changed', packSwu({ description: changed, signature: signSwDescription(description, keys.vendor), payload }), claimed);
    },
    /** One payload byte flipped after signing: sw-description's sha256 no longer matches. */
    payloadFlipped: (version: string) => {
      const payload = firmwarePayload(version);
      const description = swDescription(version, install, payload);
      const flipped = Buffer.from(payload);
      flipped[flipped.length - 2]! ^= 0x01;
      return variant('payload-byte-flipped', packSwu({ description, signature: signSwDescription(description, keys.vendor), payload: flipped }), version);
    },
  };
}
type Images = ReturnType<typeof images>;

async function readVersion(device: SwupdateDevice): Promise<string | null> {
  const answer = await fetch(device.versionUrl, { signal: AbortSignal.timeout(2000) });
  return /^version=([0-9.]+)/m.exec(await answer.text())?.[1] ?? null;
}

/** The end of the device's log without suricatta's TRACE lines, which a stuck poll loop repeats every second. */
function untraced(device: SwupdateDevice): string {
  return device.log().split('\n').filter((line) => !line.startsWith('[TRACE]')).join('\n').slice(-8000);
}

/** How long the version is still watched after the final report: suricatta may report before its installer is done. */
const SETTLE_MS = 5000;

/**
 * Offers `image`, waits (bounded) for the device's final report on it, withdraws it, and reads the version
 * until it states the image's version (and the device has rebooted into it) or SETTLE_MS have passed. The
 * version decides, as in jcstar's trial: suricatta 2022.12 now and then reports the opposite of what its
 * installer did, or reports before it is done (see test/support/swupdate/README.md).
 */
async function attempt(server: UpdateServer, device: SwupdateDevice, image: ImageVariant, mode: Partial<ServeMode> = {}): Promise<{ final: DeviceFeedback; version: string | null }> {
  const reboots = device.reboots();
  server.offer(image, { ...SERVED, ...mode });
  const final = await server.waitForFinalFeedback({ timeoutMs: ATTEMPT_MS });
  server.withdraw();
  if (!final) throw new Error(`no final feedback within ${ATTEMPT_MS} ms:\n${untraced(device)}`);
  const deadline = Date.now() + SETTLE_MS;
  let version = await readVersion(device);
  while (Date.now() < deadline && !(version === image.version && device.reboots() > reboots)) {
    await sleep(250);
    version = await readVersion(device);
  }
  return { final, version };
}

/** The images served over the attempt's downloads, as the server recorded them. */
function servedHashes(server: UpdateServer): string[] {
  return server.requests.filter((r) => r.servedSha256 !== undefined && r.imageComplete).map((r) => r.servedSha256!);
}

describe('swupdate reference device: suricatta against jcstar\'s hawkBit server', function () {
  this.timeout(180_000);
  let keys: Keys;

  before(async function () {
    requireSwupdateDevice(this, 'secure');
    const dir = tempDir('jcstar-swu-keys-');
    keys = { certs: await testCertificates(), vendor: makeSigner(dir, 'vendor'), madeUp: makeSigner(dir, 'made-up') };
  });

  /** jcstar's server on loopback, genuine over TLS with the leaf certificate (or plain), polled every second. */
  const serve = (tls: boolean, plainPort?: number) =>
    startUpdateServer({
      address: HOST,
      port: 0,
      ...(plainPort !== undefined ? { plainPort } : {}),
      tls: tls ? { certificate: readFileSync(keys.certs.leaf.chainFile, 'utf8'), key: readFileSync(keys.certs.leaf.keyFile, 'utf8') } : null,
      guard: new ScopeGuard([HOST]),
      protocol: 'hawkbit',
      pollSeconds: 1,
    });
  const deviceOptions = (mode: SwupdateDeviceOptions['mode'], server: UpdateServer): SwupdateDeviceOptions => ({
    mode,
    serverUrl: server.urls.api,
    controllerId: `fixture-${mode}`,
    runningVersion: '1.2.0',
    caPem: readFileSync(keys.certs.root.certFile, 'utf8'),
    signingCertPem: readFileSync(keys.vendor.certFile, 'utf8'),
  });

  describe('secure: signed images, anti-rollback, the server certificate verified', () => {
    let server: UpdateServer | undefined;
    let device: SwupdateDevice | undefined;

    before(async () => {
      server = await serve(true);
      device = await startSwupdateDevice(deviceOptions('secure', server));
    });
    after(async () => {
      await device?.close();
      await server?.close();
    });

    it('installs the genuine image, reports success after its reboot, and /version shows it', async () => {
      expect(await readVersion(device!)).to.equal('1.2.0');
      const genuine = images(device!, keys).genuine('1.3.0');
      const result = await attempt(server!, device!, genuine);
      expect([result.version, device!.reboots()], `feedback: ${result.final.finished}`).to.deep.equal(['1.3.0', 1]);
      expect(servedHashes(server!)).to.deep.equal([genuine.sha256]);
    });

    const refused: Array<[string, (i: Images) => ImageVariant, Partial<ServeMode>]> = [
      ['signed with a made-up key', (i) => i.wrongKey('1.4.0'), {}],
      ['unsigned', (i) => i.unsigned('1.4.0'), {}],
      ['with sw-description changed after signing', (i) => i.metadataChanged('1.4.0', '1.4.1'), {}],
      ['with a payload byte flipped', (i) => i.payloadFlipped('1.4.0'), {}],
      ['older, genuinely signed (rollback)', (i) => i.rollback('1.1.0'), {}],
      ['cut off half way (after one retry)', (i) => i.genuine('1.4.0'), { cutAtHalf: true }],
    ];
    for (const [name, make, mode] of refused) {
      it(`refuses the image ${name}: still 1.3.0`, async () => {
        const result = await attempt(server!, device!, make(images(device!, keys)), mode);
        expect([result.version, device!.reboots()], `feedback ${result.final.finished}\n${untraced(device!)}`).to.deep.equal(['1.3.0', 1]);
      });
    }

    it('gives the profile sections a user would write: the schema accepts them, and the images install', async () => {
      const dir = tempDir('jcstar-swu-profile-');
      const port = Number(new URL(server!.urls.api).port);
      const sections = swupdateProfileSections(device!, { dir, vendor: keys.vendor, controllerId: 'fixture-secure', server: { address: HOST, port, certificateFile: keys.certs.leaf.chainFile, keyRef: '${env:UPDATE_SERVER_KEY}' }, genuineVersion: '1.5.0', olderVersion: '1.0.0' });
      expect(UpdateSpec.parse(sections.update)).to.deep.equal(sections.update);
      expect(sections.service).to.deep.equal({ name: 'web', protocol: 'http', port: device!.address.port, auth: 'none' });
      const genuine = await attempt(server!, device!, variant('genuine', readFileSync(sections.update.images!.genuine.file), '1.5.0'));
      expect(genuine.version, `feedback: ${genuine.final.finished}`).to.equal('1.5.0');
      const older = await attempt(server!, device!, variant('rollback', readFileSync(sections.update.images!.older!.file), '1.0.0'));
      expect(older.version, `feedback: ${older.final.finished}`).to.equal('1.5.0');
    });

    it('follows a plain-HTTP download link from its TLS server: the genuine image is fetched in clear and installed', async () => {
      const linking = await serve(true, 0);
      const victim = await startSwupdateDevice(deviceOptions('secure', linking));
      try {
        const result = await attempt(linking, victim, images(victim, keys).genuine('1.3.0'), { plainDownloadLink: true });
        expect(result.version, `feedback: ${result.final.finished}`).to.equal('1.3.0');
        expect(linking.requests.filter((r) => r.imageComplete).map((r) => r.channel)).to.deep.equal(['plain']);
      } finally {
        await victim.close();
        await linking.close();
      }
    });

    it('never downloads from a server with a made-up certificate (man in the middle)', async () => {
      const rogue = await serve(true);
      // Offered before the device starts: a connection it kept alive from before would still carry the genuine certificate.
      rogue.offer(variant('untrusted-certificate', buildSwu('1.3.0', '/nonexistent', keys.vendor), '1.3.0'), { ...SERVED, channel: 'untrusted-tls' });
      const victim = await startSwupdateDevice(deviceOptions('secure', rogue));
      try {
        await sleep(NO_CONTACT_MS);
        expect(rogue.requests.filter((r) => r.path !== undefined)).to.deep.equal([]);
        expect(rogue.requests.filter((r) => r.tlsError).length).to.be.greaterThan(0);
        expect(await readVersion(victim)).to.equal('1.2.0');
      } finally {
        await victim.close();
        await rogue.close();
      }
    });
  });

  describe('insecure: Debian swupdate built without signing, no -N, -x, plain HTTP', () => {
    let server: UpdateServer | undefined;
    let device: SwupdateDevice | undefined;

    before(async function () {
      requireSwupdateDevice(this, 'insecure');
      server = await serve(false);
      device = await startSwupdateDevice(deviceOptions('insecure', server));
    });
    after(async () => {
      await device?.close();
      await server?.close();
    });

    const takes: Array<[string, (i: Images) => ImageVariant, string]> = [
      ['the genuine image over plain HTTP', (i) => i.genuine('1.3.0'), '1.3.0'],
      ['the image signed with a made-up key', (i) => i.wrongKey('1.4.0'), '1.4.0'],
      ['the unsigned image', (i) => i.unsigned('1.5.0'), '1.5.0'],
      ['the image with sw-description changed after signing', (i) => i.metadataChanged('1.6.0', '1.6.1'), '1.6.0'],
      ['the older image (rollback)', (i) => i.rollback('1.1.0'), '1.1.0'],
    ];
    takes.forEach(([name, make, installed], n) => {
      it(`takes ${name}: /version ${installed}`, async () => {
        const result = await attempt(server!, device!, make(images(device!, keys)));
        expect([result.version, device!.reboots()], `feedback: ${result.final.finished}`).to.deep.equal([installed, n + 1]);
      });
    });

    it('still refuses a flipped payload byte (the sha256 in sw-description), still 1.1.0', async () => {
      const result = await attempt(server!, device!, images(device!, keys).payloadFlipped('1.7.0'));
      expect(result.version, `feedback: ${result.final.finished}`).to.equal('1.1.0');
    });

    it('refuses a download cut off half way, still 1.1.0', async () => {
      const result = await attempt(server!, device!, images(device!, keys).genuine('1.8.0'), { cutAtHalf: true });
      expect(result.version, `feedback: ${result.final.finished}`).to.equal('1.1.0');
    });

    it('takes the genuine image from a server with a made-up certificate (man in the middle)', async () => {
      const rogue = await serve(true);
      const victim = await startSwupdateDevice(deviceOptions('insecure', rogue));
      try {
        const genuine = images(victim, keys).genuine('1.3.0');
        const result = await attempt(rogue, victim, genuine, { channel: 'untrusted-tls' });
        expect(result.version, `feedback: ${result.final.finished}`).to.equal('1.3.0');
        expect(servedHashes(rogue)).to.deep.equal([genuine.sha256]);
      } finally {
        await victim.close();
        await rogue.close();
      }
    });
  });

  describe("jcstar's own attack variants (harness/update/variants.ts) of a genuine fixture image", () => {
    let server: UpdateServer | undefined;
    before(async () => {
      server = await serve(true);
    });
    after(async () => {
      await server?.close();
    });

    /** Each variant on a fresh device at 1.2.0, so that a taken image shows as a changed version. */
    async function tryVariant(mode: SwupdateDeviceOptions['mode'], attempt: UpdateAttempt): Promise<string | null> {
      const device = await startSwupdateDevice({ ...deviceOptions(mode, server!), controllerId: `variants-${mode}-${attempt}` });
      try {
        const genuine = buildSwu('1.3.0', device.firmwarePath, keys.vendor);
        const variants = makeAttackVariants({ format: 'swu', genuine, genuineVersion: '1.3.0', signingKeyPem: readFileSync(keys.vendor.certFile, 'utf8') });
        const result = await attempt_(server!, device, variants.find((v) => v.attempt === attempt)!);
        return result.version;
      } catch (err) {
        throw new Error(`${attempt}: ${(err as Error).message}`);
      } finally {
        await device.close();
      }
    }
    const attempt_ = attempt;

    it('the secure device refuses all four', async () => {
      const outcomes = [];
      for (const name of ['payload-byte-flipped', 'metadata-byte-changed', 'wrong-key', 'unsigned'] as const) outcomes.push([name, await tryVariant('secure', name)]);
      expect(outcomes, JSON.stringify(server!.feedback)).to.deep.equal([
        ['payload-byte-flipped', '1.2.0'],
        ['metadata-byte-changed', '1.2.0'],
        ['wrong-key', '1.2.0'],
        ['unsigned', '1.2.0'],
      ]);
    });

    it('the insecure device takes all but the flipped payload byte', async function () {
      requireSwupdateDevice(this, 'insecure');
      const outcomes = [];
      for (const name of ['payload-byte-flipped', 'metadata-byte-changed', 'wrong-key', 'unsigned'] as const) outcomes.push([name, await tryVariant('insecure', name)]);
      expect(outcomes).to.deep.equal([
        ['payload-byte-flipped', '1.2.0'],
        ['metadata-byte-changed', '1.3.0'],
        ['wrong-key', '1.3.0'],
        ['unsigned', '1.3.0'],
      ]);
    });
  });
});
