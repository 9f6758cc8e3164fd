import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { judgePublishedImage } from '../../harness/checks/update/published.js';
import { writeJcstarImage } from '../../harness/update/formats/jcstar-image.js';
import { checkContext } from '../support/check-context.js';
import { tempDir } from '../support/run-profile.js';

/** S1.1-08 without hands-on: the image the vendor publishes, fetched and verified with the declared key. */
describe('S1.1-08 published image', () => {
  const vendor = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const images: Record<string, Buffer> = {
    '/genuine.img': writeJcstarImage({ version: '1.3.0', payload: Buffer.from('firmware'), privateKey: vendor.privateKey }),
    '/unsigned.img': writeJcstarImage({ version: '1.3.0', payload: Buffer.from('firmware'), privateKey: null }),
    '/other-key.img': writeJcstarImage({ version: '1.3.0', payload: Buffer.from('firmware'), privateKey: other.privateKey }),
  };
  const dir = tempDir();
  writeFileSync(join(dir, 'vendor.pem'), vendor.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'genuine.img'), images['/genuine.img']!);
  let server: Server;
  let port: number;

  before(async () => {
    server = createServer((req, res) => {
      const body = images[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'Content-Length': body?.length ?? 0 }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  async function judge(path: string) {
    const ctx = await checkContext({
      device: { vendor: 'ACME', model: 'P-1', firmware: '1.2.0', unit: 'p1', category: 'router' },
      target: { host: '127.0.0.1' },
      scope: ['127.0.0.1/32'],
      update: {
        published: { url: `http://127.0.0.1:${port}${path}` },
        images: { format: 'jcstar-image', genuine: { file: join(dir, 'genuine.img'), version: '1.3.0' }, signingKey: join(dir, 'vendor.pem') },
      },
    });
    return { outcome: await judgePublishedImage(ctx), recorded: ctx.recorded };
  }

  it('PASSes an image that verifies with the declared key, warning that plain HTTP leaves it to the signature', async () => {
    const { outcome, recorded } = await judge('/genuine.img');
    expect(outcome).to.deep.equal({ verdict: 'PASS', reason: `the image published at http://127.0.0.1:${port}/genuine.img (version 1.3.0) verifies with the declared signing key`, warnings: ['the image is published over plain HTTP: only its signature protects it'] });
    expect(recorded.find((r) => r.kind === 'observation')!.summary).to.match(/: \d+ bytes, sha256 [0-9a-f]{64}; signature verifies/);
  });

  it('FAILs an image that carries no signature', async () => {
    const { outcome } = await judge('/unsigned.img');
    expect(outcome.verdict).to.equal('FAIL');
    expect(outcome.reason).to.equal(`the image published at http://127.0.0.1:${port}/unsigned.img carries no signature (unsigned: the signature line is empty)`);
  });

  it('is INCONCLUSIVE on an image signed with another key (the profile may name the wrong one), and on a 404', async () => {
    expect((await judge('/other-key.img')).outcome.reason).to.match(/does not verify with update\.images\.signingKey \(.+\): check the declared key$/);
    expect((await judge('/other-key.img')).outcome.verdict).to.equal('INCONCLUSIVE');
    const missing = await judge('/missing.img');
    expect(missing.outcome.verdict).to.equal('INCONCLUSIVE');
    expect(missing.outcome.reason).to.match(/could not be fetched \(status/);
  });
});
