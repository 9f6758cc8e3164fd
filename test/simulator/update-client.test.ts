import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { issueDeviceCertificates } from '../../harness/simulator/certificates.js';
import { randomLoopbackAddress } from '../../harness/simulator/device.js';
import { startUpdateClient, type UpdateClient } from '../../harness/simulator/update-client.js';
import type { UpdateBuild } from '../../harness/simulator/update-install.js';
import { prepareUpdateRelease, type UpdateRelease } from '../../harness/simulator/update-release.js';
import { updateServerAddressFor } from '../../harness/simulator/update-setup.js';
import { parseJcstarImage, writeJcstarImage } from '../../harness/update/formats/jcstar-image.js';
import { startFakeHawkbit, type FakeHawkbit, type FakeOffer } from './fake-hawkbit.js';
import { waitFor } from './helpers.js';

/**
 * The simulated device's update client against a hawkBit-like server, one attempt of S1.1-08 each, on
 * both builds: the secure one installs only the genuine image and says why it refused each other; the
 * insecure one installs everything that is a whole jcstar-image.
 */

interface Served {
  offer: Omit<FakeOffer, 'actionId'>;
  untrustedServer?: boolean;
}

describe('simulated update client (hawkBit DDI)', function () {
  this.timeout(30000);
  const host = randomLoopbackAddress();
  const serverAddress = updateServerAddressFor(host);
  let release: UpdateRelease;
  let genuine: Buffer;
  let untrusted: { cert: string; key: string };
  const fakes: FakeHawkbit[] = [];
  const clients: UpdateClient[] = [];

  before(async () => {
    release = await prepareUpdateRelease(serverAddress);
    genuine = readFileSync(release.genuine.file);
    const made = await issueDeviceCertificates(serverAddress, new Date(), { ca: 'jcstar rogue CA', leaf: `ACME update server ${serverAddress}` });
    untrusted = { cert: made.certPem, key: made.keyPem };
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });
  after(() => release?.remove());

  async function server(untrustedServer = false): Promise<FakeHawkbit> {
    const genuineTls = { cert: readFileSync(release.server.certificatePath, 'utf8'), key: readFileSync(release.server.keyPath, 'utf8') };
    const fake = await startFakeHawkbit({ address: serverAddress, ...(untrustedServer ? untrusted : genuineTls) });
    fakes.push(fake);
    return fake;
  }

  function client(build: UpdateBuild, fake: FakeHawkbit, pollIntervalMs = 60_000): UpdateClient {
    const started = startUpdateClient({
      build,
      localAddress: host,
      endpoint: { server: new URL(`https://${serverAddress}:${fake.port}`), tenant: 'DEFAULT', controllerId: 'SIM-0001' },
      updateCa: release.updateCaPem,
      vendorKey: release.vendorKey,
      firmware: '1.2.0',
      pollIntervalMs,
    });
    clients.push(started);
    return started;
  }

  /** One attempt: serve, let the client check once, and return what it runs and what the server saw. */
  async function attempt(build: UpdateBuild, served: Served): Promise<{ firmware: string; fake: FakeHawkbit; device: UpdateClient }> {
    const fake = await server(served.untrustedServer);
    fake.offer({ actionId: '7', ...served.offer });
    const device = client(build, fake);
    await device.checkNow();
    return { firmware: device.firmware, fake, device };
  }

  const variants = {
    payloadFlipped: (): Buffer => {
      const bytes = Buffer.from(genuine);
      bytes[bytes.length - 1] ^= 0x01;
      return bytes;
    },
    manifestVersionChanged: (): Buffer => Buffer.from(genuine.toString('latin1').replace('"version":"1.3.0"', '"version":"1.3.9"'), 'latin1'),
    wrongKey: (): Buffer => writeJcstarImage({ version: '1.3.0', payload: payloadOf(genuine), privateKey: generateKeyPairSync('ed25519').privateKey }),
    unsigned: (): Buffer => writeJcstarImage({ version: '1.3.0', payload: payloadOf(genuine), privateKey: null }),
    older: (): Buffer => readFileSync(release.older.file),
    garbage: (): Buffer => randomBytes(4096),
  };

  function payloadOf(image: Buffer): Buffer {
    const parsed = parseJcstarImage(image);
    if ('error' in parsed) throw new Error(parsed.error);
    return Buffer.from(parsed.payload);
  }

  function failureFeedback(fake: FakeHawkbit, reason: string): void {
    expect(fake.feedback).to.deep.equal([
      { actionId: '7', body: { id: '7', status: { execution: 'closed', result: { finished: 'failure' }, details: [reason, 'still running 1.2.0'] } } },
    ]);
  }

  describe('both builds', () => {
    for (const build of ['secure', 'insecure'] as const) {
      it(`${build}: installs the genuine 1.3.0, reports success, and connects from the device's own address`, async () => {
        const { firmware, fake, device } = await attempt(build, { offer: { image: genuine } });
        expect(firmware).to.equal('1.3.0');
        expect(fake.feedback).to.have.length(1);
        expect(fake.feedback[0]!.body.status!.result).to.deep.equal({ finished: 'success' });
        const sha256 = createHash('sha256').update(genuine).digest('hex');
        expect(fake.feedback[0]!.body.status!.details).to.deep.equal(
          build === 'secure'
            ? [`verified the Ed25519 signature and payload SHA-256 of 1.3.0 (sha256 ${sha256})`, 'installed 1.3.0']
            : [`installed 1.3.0 (sha256 ${sha256}) without verification`],
        );
        expect(device.outcomes).to.deep.equal([{ actionId: '7', finished: 'success', detail: '1.3.0', feedback: 200 }]);
        expect(fake.requests.map((r) => `${r.client} ${r.channel} ${r.method} ${r.path}`)).to.deep.equal([
          `${host} tls GET /DEFAULT/controller/v1/SIM-0001`,
          `${host} tls GET /DEFAULT/controller/v1/SIM-0001/deploymentBase/7`,
          `${host} tls GET /DEFAULT/controller/v1/SIM-0001/softwaremodules/1/artifacts/sim-cam.img`,
          `${host} tls POST /DEFAULT/controller/v1/SIM-0001/deploymentBase/7/feedback`,
        ]);
      });

      it(`${build}: refuses a garbage download (not a jcstar-image) and keeps 1.2.0`, async () => {
        const { firmware, fake } = await attempt(build, { offer: { image: variants.garbage() } });
        expect(firmware).to.equal('1.2.0');
        failureFeedback(fake, 'image refused: not an image: not a jcstar-image (no JCSTAR-IMAGE/1 line)');
      });
    }

    it('polls on its own every second, without a trigger, and does not install the same offer twice', async () => {
      const fake = await server();
      const device = client('insecure', fake, 1000);
      expect(await waitFor(() => fake.requests.length >= 1, 2500)).to.equal(true);
      fake.offer({ actionId: '8', image: variants.older() });
      expect(await waitFor(() => device.firmware === '1.1.0', 2500)).to.equal(true);
      // The server keeps offering the closed action; the client leaves it alone.
      fake.offer({ actionId: '8', image: variants.older() });
      const polled = fake.requests.length;
      expect(await waitFor(() => fake.requests.length >= polled + 2, 3000)).to.equal(true);
      expect(fake.feedback).to.have.length(1);
      expect(fake.requests.filter((r) => r.path.endsWith('/sim-cam.img'))).to.have.length(1);
    });

    it('stops polling when closed', async () => {
      const fake = await server();
      const device = client('secure', fake, 200);
      expect(await waitFor(() => fake.requests.length >= 2, 2000)).to.equal(true);
      await device.close();
      const seen = fake.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(fake.requests.length).to.equal(seen);
    });
  });

  describe('secure build keeps 1.2.0 and reports why', () => {
    it('a flipped payload byte: the payload no longer matches the signed manifest', async () => {
      const image = variants.payloadFlipped();
      const { firmware, fake } = await attempt('secure', { offer: { image } });
      expect(firmware).to.equal('1.2.0');
      const parsed = parseJcstarImage(image);
      if ('error' in parsed) throw new Error(parsed.error);
      const actual = createHash('sha256').update(parsed.payload).digest('hex');
      failureFeedback(fake, `image refused: signature check failed: the payload SHA-256 ${actual} differs from the signed manifest's ${parsed.manifest.payloadSha256}`);
    });

    it('a changed manifest version: the signature no longer verifies', async () => {
      const { firmware, fake } = await attempt('secure', { offer: { image: variants.manifestVersionChanged() } });
      expect(firmware).to.equal('1.2.0');
      failureFeedback(fake, 'image refused: signature check failed: the ed25519 signature over the manifest does not verify with the vendor key');
    });

    it('an image signed with a key jcstar made up', async () => {
      const { firmware, fake } = await attempt('secure', { offer: { image: variants.wrongKey() } });
      expect(firmware).to.equal('1.2.0');
      failureFeedback(fake, 'image refused: signature check failed: the ed25519 signature over the manifest does not verify with the vendor key');
    });

    it('an unsigned image', async () => {
      const { firmware, fake } = await attempt('secure', { offer: { image: variants.unsigned() } });
      expect(firmware).to.equal('1.2.0');
      failureFeedback(fake, 'image refused: signature check failed: unsigned: the signature line is empty');
    });

    it('the older, genuinely signed 1.1.0 (anti-rollback)', async () => {
      const { firmware, fake } = await attempt('secure', { offer: { image: variants.older() } });
      expect(firmware).to.equal('1.2.0');
      failureFeedback(fake, 'image refused: anti-rollback: version 1.1.0 is not newer than the running 1.2.0');
    });

    it('a server with an untrusted certificate: the handshake fails, so nothing is fetched and no feedback can be sent', async () => {
      const { firmware, fake, device } = await attempt('secure', { offer: { image: genuine }, untrustedServer: true });
      expect(firmware).to.equal('1.2.0');
      expect(fake.requests).to.deep.equal([]);
      expect(fake.feedback).to.deep.equal([]);
      expect(device.outcomes).to.deep.equal([]);
      expect(await waitFor(() => fake.tlsErrors.length === 1, 1000)).to.equal(true);
    });

    it('a plain-http download link: refused unfetched', async () => {
      const { firmware, fake } = await attempt('secure', { offer: { image: genuine, plainLink: true } });
      expect(firmware).to.equal('1.2.0');
      const link = `http://${serverAddress}:${fake.plainPort}/DEFAULT/controller/v1/SIM-0001/softwaremodules/1/artifacts/sim-cam.img`;
      failureFeedback(fake, `download refused or failed: plain-http link refused (${link}): updates come over HTTPS only`);
      expect(fake.requests.filter((r) => r.channel === 'plain')).to.deep.equal([]);
    });

    it('a download cut half way', async () => {
      const { firmware, fake } = await attempt('secure', { offer: { image: genuine, cutAtHalf: true } });
      expect(firmware).to.equal('1.2.0');
      expect(fake.feedback).to.have.length(1);
      const [reason, still] = fake.feedback[0]!.body.status!.details!;
      const cut = /^image refused: download cut: the connection broke after (\d+) of (\d+) bytes$/.exec(reason ?? '');
      expect(cut, reason).to.not.equal(null);
      expect(Number(cut![1])).to.be.below(genuine.length);
      expect(Number(cut![2])).to.equal(genuine.length);
      expect(still).to.equal('still running 1.2.0');
      expect(fake.feedback[0]!.body.status!.result).to.deep.equal({ finished: 'failure' });
    });
  });

  describe('insecure build takes each', () => {
    const cases: [string, () => Served, string][] = [
      ['a flipped payload byte', () => ({ offer: { image: variants.payloadFlipped() } }), '1.3.0'],
      ['a changed manifest version', () => ({ offer: { image: variants.manifestVersionChanged() } }), '1.3.9'],
      ['an image signed with a made-up key', () => ({ offer: { image: variants.wrongKey() } }), '1.3.0'],
      ['an unsigned image', () => ({ offer: { image: variants.unsigned() } }), '1.3.0'],
      ['the older 1.1.0 (a downgrade)', () => ({ offer: { image: variants.older() } }), '1.1.0'],
      ['the genuine image from a server with an untrusted certificate', () => ({ offer: { image: genuine }, untrustedServer: true }), '1.3.0'],
    ];
    for (const [name, served, version] of cases) {
      it(`${name}: runs ${version} and reports success`, async () => {
        const { firmware, fake } = await attempt('insecure', served());
        expect(firmware).to.equal(version);
        expect(fake.feedback.map((f) => f.body.status!.result!.finished)).to.deep.equal(['success']);
        expect(fake.feedback[0]!.body.status!.details!).to.match(/^installed \S+ \(sha256 [0-9a-f]{64}\) without verification$/);
      });
    }

    it('the genuine image over a plain-http link: downloads it over plain http and runs 1.3.0', async () => {
      const { firmware, fake } = await attempt('insecure', { offer: { image: genuine, plainLink: true } });
      expect(firmware).to.equal('1.3.0');
      expect(fake.requests.filter((r) => r.channel === 'plain').map((r) => `${r.client} ${r.method} ${r.path}`)).to.deep.equal([
        `${host} GET /DEFAULT/controller/v1/SIM-0001/softwaremodules/1/artifacts/sim-cam.img`,
      ]);
    });

    it('but not a download cut half way: the image is truncated', async () => {
      const { firmware, fake } = await attempt('insecure', { offer: { image: genuine, cutAtHalf: true } });
      expect(firmware).to.equal('1.2.0');
      const parsed = parseJcstarImage(genuine);
      if ('error' in parsed) throw new Error(parsed.error);
      const [reason] = fake.feedback[0]!.body.status!.details!;
      const truncated = /^image refused: truncated image: (\d+) of (\d+) payload bytes$/.exec(reason ?? '');
      expect(truncated, reason).to.not.equal(null);
      expect(Number(truncated![2])).to.equal(parsed.manifest.payloadSize);
      expect(Number(truncated![1])).to.be.below(parsed.manifest.payloadSize);
    });
  });
});
