import { createHash, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { compareVersions, decideInstall, type InstallContext } from '../../harness/simulator/update-install.js';
import type { OfferedArtifact } from '../../harness/simulator/update-hawkbit.js';
import { writeJcstarImage } from '../../harness/update/formats/jcstar-image.js';

/** The install decision alone, for what a well-behaved server never sends: an announced size or hash that lies. */
describe('simulated update client: install decision', () => {
  const vendor = generateKeyPairSync('ed25519');
  const image = writeJcstarImage({ version: '1.3.0', payload: Buffer.from('firmware 1.3.0\n'.repeat(100)), privateKey: vendor.privateKey });
  const sha256 = createHash('sha256').update(image).digest('hex');
  const artifact = (over: Partial<OfferedArtifact> = {}): OfferedArtifact => ({ actionId: '3', filename: 'fw.img', size: image.length, sha256, links: {}, ...over });
  const whole = { status: 200, body: image, complete: true, announcedLength: image.length };
  const context = (build: InstallContext['build']): InstallContext => ({ build, running: '1.2.0', vendorKey: vendor.publicKey });

  it('orders dotted versions by number, part by part', () => {
    expect([compareVersions('1.10.0', '1.9.3'), compareVersions('1.2', '1.2.0'), compareVersions('1.1.0', '1.2.0'), compareVersions('2.0.0-rc1', '2.0.0-rc2')]).to.deep.equal([1, 0, -1, -1]);
  });

  it('secure: installs a whole, announced, signed and newer image', () => {
    expect(decideInstall(artifact(), whole, context('secure'))).to.deep.equal({
      install: true,
      version: '1.3.0',
      details: [`verified the Ed25519 signature and payload SHA-256 of 1.3.0 (sha256 ${sha256})`, 'installed 1.3.0'],
    });
  });

  it('secure: refuses a download whose size or SHA-256 is not the announced one, or is not announced', () => {
    expect(decideInstall(artifact({ size: image.length + 1 }), whole, context('secure'))).to.deep.equal({ install: false, reason: `download size ${image.length} differs from the announced ${image.length + 1} bytes` });
    expect(decideInstall(artifact({ sha256: '0'.repeat(64) }), whole, context('secure'))).to.deep.equal({ install: false, reason: `download SHA-256 ${sha256} differs from the announced ${'0'.repeat(64)}` });
    expect(decideInstall(artifact({ sha256: null }), whole, context('secure'))).to.deep.equal({ install: false, reason: 'the deployment gives no size and SHA-256 for the artifact' });
  });

  it('insecure: ignores what the server announced', () => {
    expect(decideInstall(artifact({ size: 1, sha256: null }), whole, context('insecure'))).to.deep.equal({
      install: true,
      version: '1.3.0',
      details: [`installed 1.3.0 (sha256 ${sha256}) without verification`],
    });
  });
});
