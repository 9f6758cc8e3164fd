import { readFileSync } from 'node:fs';
import { testCertificates } from '../certificates.js';
import { startSwupdateDevice, type SwupdateMode } from '../swupdate/device.js';
import { makeSigner } from '../swupdate/images.js';
import { swupdateProfileSections } from '../swupdate/profile.js';
import { buildDevice, DEVICE_HOST, type ReferenceDevice } from './device.js';

/** Where jcstar's update server listens inside the namespace: the lab host's own address, next to the device. */
export const UPDATE_SERVER = { address: DEVICE_HOST, port: 8443, plainPort: 8080 } as const;
export const UPDATER_VERSIONS = { running: '1.2.0', genuine: '1.3.0', older: '1.1.0' } as const;

/**
 * The updater reference device: SWUpdate's suricatta (Debian bookworm) polling a hawkBit server at
 * https://127.0.0.1:8443 in its own network namespace, and BusyBox httpd showing the firmware version on
 * 80/tcp. The lab points the device at jcstar by the device's own setting (its suricatta url).
 * secure:   Debian's swupdate, CMS signatures verified against the vendor certificate (-k), no downgrade (-N),
 *           the server certificate verified against the lab CA;
 * insecure: Debian's source rebuilt without signing (pkg.swupdate.nosigning), -x, downgrades allowed.
 */
export function startUpdaterDevice(mode: SwupdateMode): Promise<ReferenceDevice> {
  return buildDevice(`updater-${mode}`, async (device) => {
    const netns = device.netns.name;
    const certs = await testCertificates();
    const vendor = makeSigner(device.dir, 'vendor');
    const controllerId = `REFU-${mode}`;
    const swupdate = await startSwupdateDevice({
      mode,
      serverUrl: `https://${UPDATE_SERVER.address}:${UPDATE_SERVER.port}`,
      controllerId,
      runningVersion: UPDATER_VERSIONS.running,
      caPem: readFileSync(certs.root.certFile, 'utf8'),
      signingCertPem: readFileSync(vendor.certFile, 'utf8'),
      netns,
      webPort: 80,
    });
    await device.add(Promise.resolve({ process: null as never, log: () => swupdate.log(), stop: () => swupdate.close() }));
    device.file('certs/update-server.pem', readFileSync(certs.leaf.chainFile), 0o644);
    const serverKey = readFileSync(certs.leaf.keyFile, 'utf8');
    device.file('certs/update-server.key', serverKey);
    const sections = swupdateProfileSections(swupdate, {
      dir: device.dir,
      vendor,
      controllerId,
      server: { ...UPDATE_SERVER, certificateFile: 'certs/update-server.pem', keyRef: '${file:certs/update-server.key}' },
      genuineVersion: UPDATER_VERSIONS.genuine,
      olderVersion: UPDATER_VERSIONS.older,
    });
    const profileFile = device.writeProfile({
      device: { vendor: 'jcstar reference', model: 'REF-UPDATER', firmware: UPDATER_VERSIONS.running, unit: controllerId, category: 'gateway' },
      target: { host: DEVICE_HOST },
      scope: [`${DEVICE_HOST}/32`],
      services: [{ ...sections.service, public: [{ resource: '/version', justification: 'the firmware version, shown to anyone on the LAN as on the device label' }] }],
      update: { ...sections.update, handsOn: true },
      declarations: {
        updateMechanism: { method: 'automatic', description: 'SWUpdate suricatta polls the vendor hawkBit server' },
        updateProcedure: { url: 'https://vendor.example/ref-updater/update' },
        updateIntegrity: mode === 'secure' ? { mechanism: 'CMS signature of sw-description verified by SWUpdate against the vendor certificate', antiRollback: true } : { mechanism: 'none', antiRollback: false },
      },
    });
    return { profileFile, env: {}, secrets: [serverKey] };
  });
}
