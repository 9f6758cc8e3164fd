import { expect } from 'chai';
import type { Results } from '../../harness/results/schema.js';
import { runProfile } from '../support/run-profile.js';
import { startUploadDevice, type UploadDevice } from '../support/upload-device.js';

const attacks = (results: Results) => results.checks.filter((c) => c.id.startsWith('S1.1-08/update-attack/')).map((c) => [c.id.split('/').at(-1), c.verdict]);

/** The hands-on trial when the user uploads the image (update.mechanism.upload): jcstar uploads each image as the user would. */
describe('update trial by upload (S1.1-06, S1.1-08)', function () {
  this.timeout(60_000);
  let device: UploadDevice | null = null;
  afterEach(async () => device?.close());

  it('a device that checks what is uploaded: the genuine image installs, every attack is refused, the channel attacks do not apply', async () => {
    device = await startUploadDevice('careful');
    const { results } = await runProfile(device.document, { env: device.env, only: ['S1.1-06', 'S1.1-08'] });
    expect(results.checks.find((c) => c.id === 'S1.1-06/update/genuine-image')!.reason).to.match(/^the genuine image was installed: version 1\.2\.0 → 1\.3\.0 /);
    expect(attacks(results)).to.deep.equal([
      ['payload-byte-flipped', 'PASS'],
      ['metadata-byte-changed', 'PASS'],
      ['wrong-key', 'PASS'],
      ['unsigned', 'PASS'],
      ['cut-download', 'PASS'],
      ['untrusted-certificate', 'NOT_APPLICABLE'],
      ['plain-http', 'NOT_APPLICABLE'],
      ['rollback', 'PASS'],
    ]);
    expect(results.checks.find((c) => c.id === 'S1.1-08/update-attack/wrong-key')!.reason).to.contain('the upload was answered HTTP 400 refused: ');
    expect(results.requirements.find((r) => r.id === 'S1.1-08')!.verdict).to.equal('PASS');
    expect(device.running()).to.equal('1.3.0');
  });

  it('a device that installs any well-formed upload: each taken image FAILs, undone with the older image in between', async () => {
    device = await startUploadDevice('careless');
    const { results } = await runProfile(device.document, { env: device.env, only: ['S1.1-08'] });
    expect(attacks(results)).to.deep.equal([
      ['payload-byte-flipped', 'FAIL'],
      ['metadata-byte-changed', 'FAIL'],
      ['wrong-key', 'FAIL'],
      ['unsigned', 'FAIL'],
      ['cut-download', 'PASS'],
      ['untrusted-certificate', 'NOT_APPLICABLE'],
      ['plain-http', 'NOT_APPLICABLE'],
      ['rollback', 'FAIL'],
    ]);
    expect(results.checks.find((c) => c.id === 'S1.1-08/update-attack/unsigned')!.reason).to.match(/^the device installed the image with its signature removed: version 1\.1\.0 → 1\.3\.0 /);
  });
});
