import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { MAX_CONNECTIONS } from '../../harness/update/server/connection-gate.js';
import { MAX_BODY_BYTES } from '../../harness/update/server/request-body.js';
import { startUpdateServer, type UpdateServer } from '../../harness/update/server/update-server.js';
import { fetchUrl, recorded } from './server-client.js';

/** A raw TCP client from `localAddress`; resolves with everything the server sent until it closed, and when. */
function rawExchange(port: number, send: (socket: Socket) => void, localAddress = '127.0.0.2'): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let reply = '';
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => send(socket));
    socket.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    socket.on('error', () => {});
    socket.once('close', () => resolve({ reply, closedAfterMs: Date.now() - started }));
  });
}

function opened(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('rogue update server: scope and hostile clients', function () {
  let server: UpdateServer;
  let port: number;
  const IDLE_MS = 1500;

  before(async () => {
    // The device is 127.0.0.2; jcstar's own address 127.0.0.1 is outside the scope.
    server = await startUpdateServer({ address: '127.0.0.1', port: 0, tls: null, guard: new ScopeGuard(['127.0.0.2']), protocol: 'hawkbit', idleMs: IDLE_MS });
    port = Number(new URL(server.urls.api).port);
  });

  after(async () => server?.close());

  it('refuses to listen on an unspecified or non-literal address', async () => {
    for (const address of ['0.0.0.0', '::', 'localhost']) {
      let error: Error | null = null;
      await startUpdateServer({ address, port: 0, tls: null, guard: new ScopeGuard(['127.0.0.2']), protocol: 'manifest' }).then((s) => s.close(), (err: Error) => (error = err));
      expect(error!.message).to.equal(`the update server listens on one of the lab host's addresses, given as an IP literal; got "${address}"`);
    }
  });

  it('destroys a client outside the scope unanswered and records it; answers one inside', async () => {
    const before = server.requests.length;
    const outside = await fetchUrl(`${server.urls.api}/DEFAULT/controller/v1/dev1`, { localAddress: '127.0.0.1' }).then(() => 'answered', (err: Error & { code?: string }) => err.code);
    expect(outside).to.equal('ECONNRESET');
    const inside = await fetchUrl(`${server.urls.api}/DEFAULT/controller/v1/dev1`, { localAddress: '127.0.0.2' });
    expect(inside.status).to.equal(200);
    const records = (await recorded(() => server.requests, before + 2)).slice(before);
    expect(records.map((r) => [r.client.address, r.inScope, r.channel, r.method, r.status])).to.deep.equal([
      ['127.0.0.1', false, 'plain', undefined, undefined],
      ['127.0.0.2', true, 'plain', 'GET', 200],
    ]);
  });

  it('refuses a declared body over 64 KiB with 413 and closes', async () => {
    const { reply } = await rawExchange(port, (s) => s.write(`POST /DEFAULT/controller/v1/dev1/deploymentBase/1/feedback HTTP/1.1\r\nhost: x\r\ncontent-length: ${MAX_BODY_BYTES + 1}\r\n\r\n{`));
    expect(reply).to.match(/^HTTP\/1\.1 413 /);
  });

  it('refuses a chunked body that grows past 64 KiB with 413 and closes', async () => {
    const before = server.feedback.length;
    const { reply } = await rawExchange(port, (s) => {
      s.write('POST /DEFAULT/controller/v1/dev1/deploymentBase/1/feedback HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n');
      const chunk = 'x'.repeat(16 * 1024);
      for (let i = 0; i < 6; i++) s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    expect(reply).to.match(/^HTTP\/1\.1 413 /);
    expect(server.feedback.length).to.equal(before);
  });

  it('answers garbage with 400 and records it', async () => {
    const before = server.requests.length;
    const { reply } = await rawExchange(port, (s) => s.write('\x01\x02 garbage \xff\r\n\r\n'));
    expect(reply).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const records = (await recorded(() => server.requests, before + 1)).slice(before);
    expect(records.map((r) => [r.client.address, r.inScope, r.status])).to.deep.equal([['127.0.0.2', true, 400]]);
  });

  it('answers oversized headers with 431', async () => {
    const { reply } = await rawExchange(port, (s) => s.write(`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(reply).to.match(/^HTTP\/1\.1 431 /);
  });

  it('drops a slowloris client at the header deadline though it keeps sending', async () => {
    let timer: NodeJS.Timeout | undefined;
    const { reply, closedAfterMs } = await rawExchange(port, (s) => {
      s.write('GET /DEFAULT/controller/v1/dev1 HTTP/1.1\r\n');
      timer = setInterval(() => s.write('x-slow: 1\r\n'), 300);
    });
    clearInterval(timer);
    expect(reply).to.equal('');
    expect(closedAfterMs).to.be.within(IDLE_MS - 100, IDLE_MS + 1000);
  });

  it('drops a silent client at the idle timeout', async () => {
    const { reply, closedAfterMs } = await rawExchange(port, () => {});
    expect(reply).to.equal('');
    expect(closedAfterMs).to.be.within(IDLE_MS - 100, IDLE_MS + 1000);
  });

  it(`keeps at most ${MAX_CONNECTIONS} connections open and counts the rest`, async () => {
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS + 5; i++) sockets.push(await opened(port, '127.0.0.2'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.dropped.connections).to.equal(5);
      expect(sockets.filter((s) => !s.destroyed && s.readyState === 'open').length).to.be.at.least(MAX_CONNECTIONS);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });
});
