import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { randomLoopbackAddress } from '../../harness/simulator/device.js';
import { startUpdateClient, type UpdateClient } from '../../harness/simulator/update-client.js';
import type { UpdateBuild } from '../../harness/simulator/update-install.js';
import { prepareUpdateRelease, type UpdateRelease } from '../../harness/simulator/update-release.js';
import { freeServerPorts, updateServerAddressFor } from '../../harness/simulator/update-setup.js';
import { startUpdateServer, type UpdateServer } from '../../harness/update/server/update-server.js';
import type { ImageVariant, ServeMode, UpdateAttempt } from '../../harness/update/types.js';
import { imageVariant, makeAttackVariants } from '../../harness/update/variants.js';
import { waitFor } from './helpers.js';

/**
 * The simulated device's update client against jcstar's own rogue update server (harness/update/server),
 * with the variants jcstar makes (harness/update/variants.ts): every S1.1-08 attempt as the hands-on
 * check will serve it, on both builds, judged by the version the device runs afterwards.
 */

const GENUINE_TLS: ServeMode = { channel: 'genuine-tls', cutAtHalf: false, plainDownloadLink: false };
const MODES: Partial<Record<UpdateAttempt, ServeMode>> = {
  'untrusted-certificate': { ...GENUINE_TLS, channel: 'untrusted-tls' },
  'plain-http': { ...GENUINE_TLS, plainDownloadLink: true },
  'cut-download': { ...GENUINE_TLS, cutAtHalf: true },
};

/** The version each build runs after each attempt, from 1.2.0; and the start of the secure build's feedback. */
const EXPECTED: Record<UpdateAttempt, { secure: RegExp | null; insecure: string }> = {
  genuine: { secure: /^verified the Ed25519 signature/, insecure: '1.3.0' },
  'payload-byte-flipped': { secure: /^image refused: signature check failed: the payload SHA-256 [0-9a-f]{64} differs from the signed manifest's/, insecure: '1.3.0' },
  'metadata-byte-changed': { secure: /^image refused: signature check failed: the ed25519 signature over the manifest does not verify with the vendor key$/, insecure: '1.3.1' },
  'wrong-key': { secure: /^image refused: signature check failed: the ed25519 signature over the manifest does not verify with the vendor key$/, insecure: '1.3.0' },
  unsigned: { secure: /^image refused: signature check failed: unsigned: the signature line is empty$/, insecure: '1.3.0' },
  rollback: { secure: /^image refused: anti-rollback: version 1\.1\.0 is not newer than the running 1\.2\.0$/, insecure: '1.1.0' },
  'untrusted-certificate': { secure: null, insecure: '1.3.0' },
  'plain-http': { secure: /^download refused or failed: plain-http link refused \(http:\/\/[\d.]+:\d+\/.+\): updates come over HTTPS only$/, insecure: '1.3.0' },
  'cut-download': { secure: /^image refused: download cut: the connection broke after \d+ of \d+ bytes$/, insecure: '1.2.0' },
};

describe('simulated update client against jcstar\'s update server', function () {
  this.timeout(60000);
  const host = randomLoopbackAddress();
  let release: UpdateRelease;
  let server: UpdateServer;
  const variants = new Map<UpdateAttempt, ImageVariant>();
  let client: UpdateClient | undefined;

  before(async () => {
    const ports = await freeServerPorts(updateServerAddressFor(host));
    release = await prepareUpdateRelease(ports.address);
    server = await startUpdateServer({
      address: ports.address,
      port: ports.port,
      plainPort: ports.plainPort,
      tls: { certificate: readFileSync(release.server.certificatePath, 'utf8'), key: readFileSync(release.server.keyPath, 'utf8') },
      guard: new ScopeGuard([`${host}/32`]),
      protocol: 'hawkbit',
      controllerId: 'SIM-0001',
      pollSeconds: 1,
    });
    const genuine = readFileSync(release.genuine.file);
    variants.set('genuine', imageVariant('genuine', 'jcstar-image', genuine, '1.3.0'));
    variants.set('rollback', imageVariant('rollback', 'jcstar-image', readFileSync(release.older.file), '1.1.0'));
    for (const attempt of ['untrusted-certificate', 'plain-http', 'cut-download'] as const) variants.set(attempt, imageVariant(attempt, 'jcstar-image', genuine, '1.3.0'));
    const signingKeyPem = readFileSync(release.vendorKeyPath, 'utf8');
    for (const v of makeAttackVariants({ format: 'jcstar-image', genuine, genuineVersion: '1.3.0', signingKeyPem })) variants.set(v.attempt, v);
  });
  afterEach(async () => {
    server?.withdraw();
    await client?.close();
  });
  after(async () => {
    await server?.close();
    await release?.remove();
  });

  async function attempt(build: UpdateBuild, name: UpdateAttempt): Promise<UpdateClient> {
    server.offer(variants.get(name)!, MODES[name] ?? GENUINE_TLS);
    client = startUpdateClient({
      build,
      localAddress: host,
      endpoint: { server: new URL(server.urls.api), tenant: 'DEFAULT', controllerId: 'SIM-0001' },
      updateCa: release.updateCaPem,
      vendorKey: release.vendorKey,
      firmware: '1.2.0',
    });
    await client.checkNow();
    return client;
  }

  it('makes every attempt jcstar serves', () => expect([...variants.keys()].sort()).to.deep.equal(Object.keys(EXPECTED).sort()));

  for (const [name, expected] of Object.entries(EXPECTED) as [UpdateAttempt, (typeof EXPECTED)[UpdateAttempt]][]) {
    it(`secure, ${name}: ${name === 'genuine' ? 'runs 1.3.0' : 'keeps 1.2.0'}${expected.secure ? ' and says why' : ', no feedback (the handshake failed)'}`, async () => {
      const before = server.feedback.length;
      const seen = server.requests.length;
      const device = await attempt('secure', name);
      expect(device.firmware).to.equal(name === 'genuine' ? '1.3.0' : '1.2.0');
      const feedback = server.feedback.slice(before);
      if (expected.secure === null) {
        expect(feedback).to.deep.equal([]);
        // The server logs the broken handshake as it sees it, a moment after the device gave up.
        expect(await waitFor(() => server.requests.slice(seen).some((r) => r.tlsError !== undefined), 2000)).to.equal(true);
        expect(server.requests.slice(seen).filter((r) => r.method !== undefined)).to.deep.equal([]);
        return;
      }
      expect(feedback.map((f) => [f.execution, f.finished])).to.deep.equal([['closed', name === 'genuine' ? 'success' : 'failure']]);
      expect(feedback[0]!.details[0]).to.match(expected.secure);
    });

    it(`insecure, ${name}: runs ${expected.insecure}`, async () => {
      const device = await attempt('insecure', name);
      expect(device.firmware).to.equal(expected.insecure);
      expect(device.outcomes.map((o) => o.finished)).to.deep.equal([expected.insecure === '1.2.0' ? 'failure' : 'success']);
    });
  }

  it('was reached only from the device\'s own address, which is in the scope', () => {
    expect(server.requests.length).to.be.greaterThan(20);
    expect(server.requests.every((r) => r.client.address === host && r.inScope)).to.equal(true);
  });
});
