import { X509Certificate, createPublicKey, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { expect } from 'chai';
import { startSimulatedDevice, type SimulatedDevice, type SimulatorMode } from '../../harness/simulator/device.js';
import { parseJcstarImage, verifyJcstarImage } from '../../harness/update/formats/jcstar-image.js';
import { profileFrom } from '../support/run-profile.js';
import { startFakeHawkbit, type FakeHawkbit } from './fake-hawkbit.js';
import { startTestDevice, waitFor, webAdminCall } from './helpers.js';

/**
 * The update client wired into the simulated device: the profile's `update` section names what the
 * simulator made (server address and ports, certificate, key, images, vendor key), the web admin
 * triggers a check and reads the firmware, and a server at the profile's address updates the device.
 */

interface UpdateSection {
  server: { address: string; port: number; plainPort: number; certificate: string; key: string };
  images: { genuine: { file: string }; older: { file: string }; signingKey: string };
}

for (const mode of ['secure', 'insecure'] as SimulatorMode[]) {
  describe(`simulated device: update path (${mode})`, function () {
    this.timeout(30000);
    let device: SimulatedDevice;
    let fake: FakeHawkbit | undefined;
    before(async () => {
      device = await startTestDevice({ mode });
    });
    after(async () => {
      await fake?.close();
      await device?.close();
    });

    const section = (): UpdateSection => device.profileDocument().document.update as UpdateSection;
    const firmware = async (): Promise<unknown> => JSON.parse((await webAdminCall(device, '/api/firmware', { auth: device.admin })).body);

    it('describes the update path in the profile, pointing at files the simulator wrote', async () => {
      const { document, env } = device.profileDocument();
      const update = section();
      const dir = device.updates.release.dir;
      expect(document.update).to.deep.equal({
        handsOn: true,
        version: { http: { service: 'web-admin', path: '/api/firmware', jsonPointer: '/firmware' } },
        mechanism: { pull: { protocol: 'hawkbit', tenant: 'DEFAULT', controllerId: 'SIM-0001' } },
        server: {
          address: '127.0.0.2',
          port: update.server.port,
          tls: true,
          certificate: `${dir}/update-server.pem`,
          key: `\${file:${dir}/update-server-key.pem}`,
          plainPort: update.server.plainPort,
          redirect: 'device-setting',
        },
        trigger: { http: { service: 'web-admin', method: 'POST', path: '/api/update/check' } },
        waitSeconds: 10,
        settleSeconds: 0,
        images: {
          format: 'jcstar-image',
          genuine: { file: `${dir}/sim-cam-1.3.0.img`, version: '1.3.0' },
          older: { file: `${dir}/sim-cam-1.1.0.img`, version: '1.1.0' },
          signingKey: `${dir}/acme-vendor-ed25519.pem`,
        },
      });
      expect(update.server.port).to.not.equal(update.server.plainPort);
      // The scope is the device alone: jcstar's update server is the lab's, not the device's.
      expect(document.scope).to.deep.equal(['127.0.0.1/32']);
      expect(statSync(`${dir}/update-server-key.pem`).mode & 0o777).to.equal(0o600);
      const profile = await profileFrom(document, env);
      expect(profile.update?.server?.key?.reveal()).to.equal(readFileSync(`${dir}/update-server-key.pem`, 'utf8').replace(/\n$/, ''));
      expect(profile.handsOn).to.deep.equal(['update']);
    });

    it('ships genuine images signed with the vendor key and a server certificate for the server address', () => {
      const { images, server } = section();
      const vendorKey = createPublicKey(readFileSync(images.signingKey));
      expect(vendorKey.asymmetricKeyType).to.equal('ed25519');
      for (const [file, version] of [[images.genuine.file, '1.3.0'], [images.older.file, '1.1.0']] as const) {
        const parsed = parseJcstarImage(readFileSync(file));
        if ('error' in parsed) throw new Error(parsed.error);
        expect(parsed.manifest.version).to.equal(version);
        expect(verifyJcstarImage(parsed, vendorKey)).to.deep.equal({ ok: true });
      }
      const cert = new X509Certificate(readFileSync(server.certificate));
      expect(cert.subjectAltName).to.equal('IP Address:127.0.0.2');
      expect(cert.issuer).to.equal('O=ACME\nCN=ACME update CA');
      expect(cert.checkPrivateKey(createPrivateKey(readFileSync(server.certificate.replace(/\.pem$/, '-key.pem'))))).to.equal(true);
    });

    it('runs 1.2.0, and 1.3.0 once the web admin triggers a check against a server offering the genuine image', async () => {
      expect(await firmware()).to.deep.equal({ model: 'SIM-CAM', firmware: '1.2.0' });
      const { server, images } = section();
      fake = await startFakeHawkbit({
        address: server.address,
        port: server.port,
        plainPort: server.plainPort,
        cert: readFileSync(server.certificate, 'utf8'),
        key: readFileSync(server.certificate.replace(/\.pem$/, '-key.pem'), 'utf8'),
      });
      fake.offer({ actionId: '1', image: readFileSync(images.genuine.file) });
      const triggered = await webAdminCall(device, '/api/update/check', { method: 'POST', auth: device.admin });
      expect(triggered.status).to.equal(202);
      expect(await waitFor(() => device.updates.client.firmware === '1.3.0', 3000)).to.equal(true);
      expect(await firmware()).to.deep.equal({ model: 'SIM-CAM', firmware: '1.3.0' });
      // The device installs first and reports after.
      expect(await waitFor(() => fake!.feedback.length > 0, 3000)).to.equal(true);
      expect(fake.feedback.map((f) => f.body.status?.result?.finished)).to.deep.equal(['success']);
      expect(new Set(fake.requests.map((r) => r.client))).to.deep.equal(new Set(['127.0.0.1']));
      // The profile keeps naming the firmware the device was tested as.
      expect((device.profileDocument().document.device as { firmware: string }).firmware).to.equal('1.2.0');
    });
  });
}

describe('simulated device: update files', () => {
  it('are removed on close', async () => {
    const device = await startSimulatedDevice({ mode: 'secure' });
    const { dir } = device.updates.release;
    expect(existsSync(`${dir}/sim-cam-1.3.0.img`)).to.equal(true);
    await device.close();
    expect(existsSync(dir)).to.equal(false);
  });
});
