import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Results } from '../../harness/results/schema.js';
import { writeJcstarImage } from '../../harness/update/formats/jcstar-image.js';
import { freePort } from '../support/daemons.js';
import { runProfile, tempDir } from '../support/run-profile.js';

/**
 * The update trial through the engine against devices that give it nothing to judge: one whose update
 * client never calls, one whose version cannot be read, a profile whose genuine image does not verify.
 * None of them may PASS anything.
 */
describe('update trial (S1.1-06, S1.1-08) on devices that give it nothing', function () {
  this.timeout(60_000);
  const DEVICE = '127.0.0.1';
  const SERVER = '127.0.0.2';
  let web: Server;
  let version: 'readable' | 'refused' = 'readable';

  before(async () => {
    web = createServer((req, res) => {
      req.resume();
      res.on('error', () => {});
      if (version === 'refused') return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"firmware":"1.2.0"}');
    });
    await new Promise<void>((resolve) => web.listen(0, DEVICE, resolve));
  });
  after(() => new Promise((resolve) => web.close(resolve)));

  async function profile(signingKeyMatches = true): Promise<Record<string, unknown>> {
    const dir = tempDir();
    const vendor = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'fw-1.3.0.img'), writeJcstarImage({ version: '1.3.0', payload: Buffer.from('firmware 1.3.0'), privateKey: vendor.privateKey }));
    writeFileSync(join(dir, 'vendor.pem'), (signingKeyMatches ? vendor : other).publicKey.export({ type: 'spki', format: 'pem' }));
    return {
      device: { vendor: 'ACME', model: 'SILENT-1', firmware: '1.2.0', unit: 's1', category: 'gateway' },
      target: { host: DEVICE },
      scope: [`${DEVICE}/32`],
      services: [{ name: 'web', protocol: 'http', port: (web.address() as AddressInfo).port, auth: 'none', public: [{ resource: '/version', justification: 'the version is public on this test device' }] }],
      update: {
        handsOn: true,
        version: { http: { service: 'web', path: '/version', jsonPointer: '/firmware' } },
        mechanism: { pull: { protocol: 'hawkbit', controllerId: 's1' } },
        server: { address: SERVER, port: await freePort(SERVER), tls: false, redirect: 'device-setting' },
        waitSeconds: 1,
        images: { format: 'jcstar-image', genuine: { file: join(dir, 'fw-1.3.0.img'), version: '1.3.0' }, signingKey: join(dir, 'vendor.pem') },
      },
      declarations: { updateIntegrity: { mechanism: 'Ed25519 signature' } },
    };
  }

  const verdicts = (results: Results, requirement: string) => results.checks.filter((c) => c.requirement === requirement).map((c) => [c.id, c.verdict, c.reason]);

  it('a device that never calls the update server: every attack and the control INCONCLUSIVE, naming the silence', async () => {
    version = 'readable';
    const { results } = await runProfile(await profile(), { only: ['S1.1-06', 'S1.1-08'] });
    const control = results.checks.find((c) => c.id === 'S1.1-06/update/genuine-image')!;
    expect(control.verdict).to.equal('INCONCLUSIVE');
    expect(control.reason).to.equal('the device did not contact the update server in 1 s while the genuine image was offered');
    const attacks = results.checks.filter((c) => c.id.startsWith('S1.1-08/update-attack/'));
    expect(attacks.map((c) => c.verdict)).to.deep.equal(['INCONCLUSIVE', 'INCONCLUSIVE', 'INCONCLUSIVE', 'INCONCLUSIVE', 'INCONCLUSIVE', 'NOT_APPLICABLE', 'NOT_APPLICABLE', 'INCONCLUSIVE']);
    expect(attacks[0]!.reason).to.match(/^the device did not contact the update server in 1 s while the image with one byte of its payload flipped was offered/);
    expect(attacks.at(-1)!.reason).to.equal('the rollback test needs an older, genuinely signed image: give update.images.older');
    expect(results.requirements.find((r) => r.id === 'S1.1-08')!.verdict).to.equal('INCONCLUSIVE');
    expect(results.requirements.find((r) => r.id === 'S1.1-06')!.verdict).to.equal('INCONCLUSIVE');
  });

  it('a version the declared login cannot read blocks the trial: no attempt is served, nothing PASSes', async () => {
    version = 'refused';
    const { results } = await runProfile(await profile(), { only: ['S1.1-06', 'S1.1-08'] });
    const blocked = verdicts(results, 'S1.1-08').filter(([id]) => String(id).includes('update-attack'));
    expect(blocked.every(([, verdict, reason]) => verdict === 'INCONCLUSIVE' && String(reason).startsWith('the running firmware version cannot be read ('))).to.equal(true);
    expect(results.requirements.filter((r) => r.verdict === 'PASS').map((r) => r.id)).to.deep.equal([]);
  });

  it('a genuine image that does not verify with the declared key blocks the trial before anything is served', async () => {
    version = 'readable';
    const { results } = await runProfile(await profile(false), { only: ['S1.1-08'] });
    const first = results.checks.find((c) => c.id === 'S1.1-08/update-attack/payload-byte-flipped')!;
    expect(first.verdict).to.equal('INCONCLUSIVE');
    expect(first.reason).to.match(/^the profile's genuine image does not verify with update\.images\.signingKey \(.+\); fix the profile before any attack can be judged$/);
  });

  it('without hands-on: one optional check says what is missing, and the declaration leaves S1.1-08 to a person', async () => {
    const document = await profile();
    const { handsOn: _optIn, ...update } = document.update as Record<string, unknown>;
    const { results } = await runProfile({ ...document, update }, { only: ['S1.1-08'] });
    expect(verdicts(results, 'S1.1-08')).to.deep.equal([
      ['S1.1-08/update-attack/hands-on', 'INCONCLUSIVE', 'the hands-on update trial did not run: it needs --hands-on update (or update.handsOn: true), because the trial can change the device'],
      ['S1.1-08/update-integrity/declaration', 'MANUAL', 'a person must review the declared integrity check (Ed25519 signature)'],
    ]);
    expect(results.requirements.find((r) => r.id === 'S1.1-08')!.verdict).to.equal('MANUAL');
  });
});
