import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { testCertificates, type TestCertificates } from '../support/certificates.js';
import { tempDir } from '../support/run-profile.js';
import { startDdiServer, type DdiFeedback, type DdiOfferOptions, type DdiServer } from '../support/swupdate/ddi-server.js';
import { requireSwupdateDevice, startSwupdateDevice, type SwupdateDevice, type SwupdateDeviceOptions } from '../support/swupdate/device.js';
import { UpdateSpec } from '../../harness/profile/update-schema.js';
import { swupdateProfileSections } from '../support/swupdate/profile.js';
import { buildSwu, firmwarePayload, makeSigner, packSwu, signSwDescription, swDescription, type SwuSigner } from '../support/swupdate/images.js';

/**
 * The update fixture (test/support/swupdate/): SWUpdate's suricatta polling a hawkBit server. The secure device
 * installs only genuine, newer images from a server it trusts; the insecure one (Debian's source without
 * signature checks, -x, no -N) takes every image whose files match sw-description. The version is always read
 * back from the device's /version, never taken from its feedback alone.
 */

const HOST = '127.0.0.1';
/** suricatta polls every second; an attempt ends with its closed feedback, well within this. */
const ATTEMPT_MS = 30_000;
/** How long a device that refuses the server's certificate is given to show that it downloads nothing. */
const NO_CONTACT_MS = 5_000;

interface Keys {
  certs: TestCertificates;
  vendor: SwuSigner;
  madeUp: SwuSigner;
}

/** The image attacks of issue 10 that are made of image bytes, each for the device's firmware file. */
function images(device: SwupdateDevice, keys: Keys) {
  const install = device.firmwarePath;
  return {
    genuine: (version: string) => buildSwu(version, install, keys.vendor),
    wrongKey: (version: string) => buildSwu(version, install, keys.madeUp),
    unsigned: (version: string) => buildSwu(version, install, null),
    /** sw-description changed after signing (its version string), packed with the original signature. */
    metadataChanged: (version: string, claimed: string) => {
      const payload = firmwarePayload(version);
      const description = swDescription(version, install, payload);
      return packSwu({ description: description.replace(`version = "${version}"`, `version = "${claimed}"`), signature: signSwDescription(description, keys.vendor), payload });
    },
    /** One payload byte flipped after signing: sw-description's sha256 no longer matches. */
    payloadFlipped: (version: string) => {
      const payload = firmwarePayload(version);
      const description = swDescription(version, install, payload);
      const flipped = Buffer.from(payload);
      flipped[flipped.length - 2]! ^= 0x01;
      return packSwu({ description, signature: signSwDescription(description, keys.vendor), payload: flipped });
    },
  };
}

async function readVersion(device: SwupdateDevice): Promise<string | null> {
  const answer = await fetch(device.versionUrl, { signal: AbortSignal.timeout(2000) });
  return /^version=([0-9.]+)/m.exec(await answer.text())?.[1] ?? null;
}

/** Offers `image` and waits (bounded) for the device's closed feedback on it, then for any reboot to finish. */
async function attempt(server: DdiServer, device: SwupdateDevice, image: Buffer, version: string, options: DdiOfferOptions = {}): Promise<{ closed: DdiFeedback; version: string | null }> {
  const actionId = server.offer(image, version, options);
  const deadline = Date.now() + ATTEMPT_MS;
  let closed: DdiFeedback | undefined;
  while (!closed && Date.now() < deadline) {
    await sleep(200);
    closed = server.feedback().find((f) => f.actionId === actionId && f.execution === 'closed');
  }
  if (!closed) throw new Error(`no closed feedback on action ${actionId} within ${ATTEMPT_MS} ms:\n${device.log().slice(-4000)}`);
  return { closed, version: await readVersion(device) };
}

describe('swupdate reference device: suricatta against a hawkBit server', function () {
  this.timeout(180_000);
  let keys: Keys;

  before(async function () {
    requireSwupdateDevice(this, 'secure');
    const dir = tempDir('jcstar-swu-keys-');
    keys = { certs: await testCertificates(), vendor: makeSigner(dir, 'vendor'), madeUp: makeSigner(dir, 'made-up') };
  });

  const tlsOf = (which: 'leaf' | 'selfSigned') => ({ key: readFileSync(keys.certs[which].keyFile, 'utf8'), cert: readFileSync(keys.certs[which].chainFile, 'utf8') });
  const deviceOptions = (mode: SwupdateDeviceOptions['mode'], serverUrl: string): SwupdateDeviceOptions => ({
    mode,
    serverUrl,
    controllerId: `fixture-${mode}`,
    runningVersion: '1.2.0',
    caPem: readFileSync(keys.certs.root.certFile, 'utf8'),
    signingCertPem: readFileSync(keys.vendor.certFile, 'utf8'),
  });

  describe('secure: signed images, anti-rollback, the server certificate verified', () => {
    let server: DdiServer | undefined;
    let device: SwupdateDevice | undefined;

    before(async () => {
      server = await startDdiServer(HOST, tlsOf('leaf'));
      device = await startSwupdateDevice(deviceOptions('secure', server.url));
    });
    after(async () => {
      await device?.close();
      await server?.close();
    });

    it('installs the genuine image, reports success after its reboot, and /version shows it', async () => {
      expect(await readVersion(device!)).to.equal('1.2.0');
      const result = await attempt(server!, device!, images(device!, keys).genuine('1.3.0'), '1.3.0');
      expect(result.closed.finished).to.equal('success');
      expect(result.version).to.equal('1.3.0');
      expect(device!.reboots()).to.equal(1);
    });

    for (const [name, make] of [
      ['signed with a made-up key', (i: ReturnType<typeof images>) => i.wrongKey('1.4.0')],
      ['unsigned', (i: ReturnType<typeof images>) => i.unsigned('1.4.0')],
      ['with sw-description changed after signing', (i: ReturnType<typeof images>) => i.metadataChanged('1.4.0', '1.4.1')],
      ['with a payload byte flipped', (i: ReturnType<typeof images>) => i.payloadFlipped('1.4.0')],
      ['older, genuinely signed (rollback)', (i: ReturnType<typeof images>) => i.genuine('1.1.0')],
    ] as const) {
      it(`refuses the image ${name}: failure feedback, still 1.3.0`, async () => {
        const result = await attempt(server!, device!, make(images(device!, keys)), '1.4.0');
        expect(result.closed.finished, device!.log().slice(-12000)).to.equal('failure');
        expect(result.version).to.equal('1.3.0');
        expect(device!.reboots()).to.equal(1);
      });
    }

    it('refuses a download cut off half way (after one retry): failure feedback, still 1.3.0', async () => {
      const result = await attempt(server!, device!, images(device!, keys).genuine('1.4.0'), '1.4.0', { cutAtHalf: true });
      expect(result.closed.finished).to.equal('failure');
      expect(result.version).to.equal('1.3.0');
      expect(device!.reboots()).to.equal(1);
    });

    it('follows a plain-HTTP download link from its TLS server: the genuine image is fetched in clear and installed', async () => {
      const api = await startDdiServer(HOST, tlsOf('leaf'));
      const plain = await startDdiServer(HOST);
      const victim = await startSwupdateDevice(deviceOptions('secure', api.url));
      try {
        const image = images(victim, keys).genuine('1.3.0');
        const inClear = plain.offer(image, '1.3.0');
        const result = await attempt(api, victim, image, '1.3.0', { downloadHref: `${plain.url}${plain.artifactPath('fixture-secure', inClear)}` });
        expect(result.closed.finished).to.equal('success');
        expect(result.version).to.equal('1.3.0');
        expect([plain.downloads(), api.downloads()]).to.deep.equal([1, 0]);
      } finally {
        await victim.close();
        await plain.close();
        await api.close();
      }
    });

    it('gives the profile sections a user would write: the schema accepts them, and the images install', async () => {
      const dir = tempDir('jcstar-swu-profile-');
      const [host, port] = [HOST, Number(new URL(server!.url).port)];
      const sections = swupdateProfileSections(device!, { dir, vendor: keys.vendor, controllerId: 'fixture-secure', server: { address: host, port, certificateFile: keys.certs.leaf.chainFile, keyRef: '${env:UPDATE_SERVER_KEY}' }, genuineVersion: '1.5.0', olderVersion: '1.0.0' });
      expect(UpdateSpec.parse(sections.update)).to.deep.equal(sections.update);
      expect(sections.service).to.deep.equal({ name: 'web', protocol: 'http', port: device!.address.port, auth: 'none' });
      const result = await attempt(server!, device!, readFileSync(sections.update.images!.genuine.file), '1.5.0');
      expect([result.closed.finished, result.version]).to.deep.equal(['success', '1.5.0']);
      const older = await attempt(server!, device!, readFileSync(sections.update.images!.older!.file), '1.0.0');
      expect([older.closed.finished, older.version]).to.deep.equal(['failure', '1.5.0']);
    });

    it('never downloads from a server whose certificate does not chain to its CA (man in the middle)', async () => {
      const rogue = await startDdiServer(HOST, tlsOf('selfSigned'));
      const victim = await startSwupdateDevice(deviceOptions('secure', rogue.url));
      try {
        rogue.offer(images(victim, keys).genuine('1.3.0'), '1.3.0');
        await sleep(NO_CONTACT_MS);
        expect(rogue.downloads()).to.equal(0);
        expect(rogue.feedback()).to.deep.equal([]);
        expect(await readVersion(victim)).to.equal('1.2.0');
      } finally {
        await victim.close();
        await rogue.close();
      }
    });
  });

  describe('insecure: Debian swupdate built without signing, no -N, -x, plain HTTP', () => {
    let server: DdiServer | undefined;
    let device: SwupdateDevice | undefined;

    before(async function () {
      requireSwupdateDevice(this, 'insecure');
      server = await startDdiServer(HOST);
      device = await startSwupdateDevice(deviceOptions('insecure', server.url));
    });
    after(async () => {
      await device?.close();
      await server?.close();
    });

    const takes: Array<[string, (i: ReturnType<typeof images>) => Buffer, string]> = [
      ['the genuine image over plain HTTP', (i) => i.genuine('1.3.0'), '1.3.0'],
      ['the image signed with a made-up key', (i) => i.wrongKey('1.4.0'), '1.4.0'],
      ['the unsigned image', (i) => i.unsigned('1.5.0'), '1.5.0'],
      ['the image with sw-description changed after signing', (i) => i.metadataChanged('1.6.0', '1.6.1'), '1.6.0'],
      ['the older image (rollback)', (i) => i.genuine('1.1.0'), '1.1.0'],
    ];
    takes.forEach(([name, make, installed], n) => {
      it(`takes ${name}: success feedback, /version ${installed}`, async () => {
        const result = await attempt(server!, device!, make(images(device!, keys)), installed);
        expect(result.closed.finished).to.equal('success');
        expect(result.version).to.equal(installed);
        expect(device!.reboots()).to.equal(n + 1);
      });
    });

    it('still refuses a flipped payload byte (the sha256 in sw-description), still 1.1.0', async () => {
      const result = await attempt(server!, device!, images(device!, keys).payloadFlipped('1.7.0'), '1.7.0');
      expect(result.closed.finished).to.equal('failure');
      expect(result.version).to.equal('1.1.0');
    });

    it('refuses a download cut off half way, still 1.1.0', async () => {
      const result = await attempt(server!, device!, images(device!, keys).genuine('1.8.0'), '1.8.0', { cutAtHalf: true });
      expect(result.closed.finished).to.equal('failure');
      expect(result.version).to.equal('1.1.0');
    });

    it('takes the genuine image from a server with an untrusted certificate (man in the middle)', async () => {
      const rogue = await startDdiServer(HOST, tlsOf('selfSigned'));
      const victim = await startSwupdateDevice(deviceOptions('insecure', rogue.url));
      try {
        const result = await attempt(rogue, victim, images(victim, keys).genuine('1.3.0'), '1.3.0');
        expect(result.closed.finished).to.equal('success');
        expect(result.version).to.equal('1.3.0');
        expect(rogue.downloads()).to.equal(1);
      } finally {
        await victim.close();
        await rogue.close();
      }
    });
  });
});
