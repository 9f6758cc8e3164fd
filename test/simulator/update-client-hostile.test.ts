import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { expect } from 'chai';
import { randomLoopbackAddress } from '../../harness/simulator/device.js';
import { startUpdateClient, type UpdateClient } from '../../harness/simulator/update-client.js';
import { prepareUpdateRelease, type UpdateRelease } from '../../harness/simulator/update-release.js';
import { updateServerAddressFor } from '../../harness/simulator/update-setup.js';

/** A hostile update server must not crash, hang or bloat the simulated device's update client. */
describe('simulated update client: hostile update server', function () {
  this.timeout(20000);
  const host = randomLoopbackAddress();
  const address = updateServerAddressFor(host);
  let release: UpdateRelease;
  let server: Server | undefined;
  let client: UpdateClient | undefined;
  const sockets = new Set<Socket>();

  before(async () => {
    release = await prepareUpdateRelease(address);
  });
  afterEach(async () => {
    await client?.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });
  after(() => release?.remove());

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<UpdateClient> {
    server = createServer({ cert: readFileSync(release.server.certificatePath), key: readFileSync(release.server.keyPath) }, handler);
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('error', () => { /* the client hangs up */ });
    });
    const port = await new Promise<number>((resolve) => server!.listen({ host: address, port: 0 }, () => resolve((server!.address() as { port: number }).port)));
    client = startUpdateClient({
      build: 'secure',
      localAddress: host,
      endpoint: { server: new URL(`https://${address}:${port}`), tenant: 'DEFAULT', controllerId: 'SIM-0001' },
      updateCa: release.updateCaPem,
      vendorKey: release.vendorKey,
      firmware: '1.2.0',
      pollIntervalMs: 60_000,
    });
    return client;
  }

  it('reads at most 64 KiB of a controller answer, and goes on running 1.2.0', async () => {
    let sent = 0;
    const device = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x7b);
      const pump = (): void => {
        while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 64 * 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      res.on('error', () => { /* the client hung up */ });
      pump();
    });
    await device.checkNow();
    expect(device.firmware).to.equal('1.2.0');
    expect(device.outcomes).to.deep.equal([]);
    expect(sent).to.be.below(64 * 1024 * 1024);
  });

  it('shrugs off answers that are not JSON or not hawkBit', async () => {
    const answers = ['not json', '[]', '{"_links":{"deploymentBase":{"href":"::::"}}}', '{"_links":{"deploymentBase":{"href":"/x"}}}'];
    let next = 0;
    const device = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(answers[Math.min(next++, answers.length - 1)]);
    });
    for (let i = 0; i < answers.length; i++) await device.checkNow();
    expect(device.firmware).to.equal('1.2.0');
    expect(device.outcomes).to.deep.equal([]);
  });

  it('closes at once while the server keeps a request hanging', async () => {
    let asked = 0;
    const device = await serve(() => {
      asked++;
    });
    const check = device.checkNow();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await device.close();
    await check;
    expect(asked).to.equal(1);
    expect(Date.now() - started).to.be.below(1000);
  });
});
