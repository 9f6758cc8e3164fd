import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { startMisbehavingServer, type MisbehavingServer } from '../../harness/simulator/misbehaving.js';
import { HOST, delay, tcpProbe, waitFor } from './helpers.js';

interface Observation {
  bytes: number;
  ended: boolean;
  closed: boolean;
  error?: string;
  /** ms from connect to 'end' or 'close', when seen. */
  closedAfter?: number;
}

function observe(port: number): { socket: Socket; seen: Observation; connected: Promise<void> } {
  const seen: Observation = { bytes: 0, ended: false, closed: false };
  const socket = connect({ host: HOST, port });
  let connectedAt = Date.now();
  const connected = new Promise<void>((resolve) => socket.once('connect', () => {
    connectedAt = Date.now();
    resolve();
  }));
  socket.on('data', (d: Buffer) => (seen.bytes += d.length));
  socket.on('end', () => {
    seen.ended = true;
    seen.closedAfter ??= Date.now() - connectedAt;
  });
  socket.on('close', () => {
    seen.closed = true;
    seen.closedAfter ??= Date.now() - connectedAt;
  });
  socket.on('error', (err) => (seen.error = (err as NodeJS.ErrnoException).code ?? err.message));
  return { socket, seen, connected };
}

describe('misbehaving servers', () => {
  let server: MisbehavingServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('hang: accepts, never writes, never closes; close() disconnects the client', async () => {
    server = await startMisbehavingServer('hang');
    const { socket, seen, connected } = observe(server.port);
    await connected;
    socket.write('hello?\r\n');
    await delay(400);
    expect(server.connections()).to.equal(1);
    expect(seen).to.deep.include({ bytes: 0, ended: false, closed: false });
    await server.close();
    expect(await waitFor(() => seen.closed)).to.equal(true);
    expect(await tcpProbe(server.port)).to.equal('ECONNREFUSED');
  });

  it('garbage: 512 random bytes at once, then more junk every 100 ms', async () => {
    server = await startMisbehavingServer('garbage');
    const { socket, seen, connected } = observe(server.port);
    await connected;
    expect(await waitFor(() => seen.bytes >= 512)).to.equal(true);
    const first = seen.bytes;
    await delay(350);
    expect(seen.bytes).to.be.greaterThan(first);
    expect(seen.closed).to.equal(false);
    socket.end();
    expect(await waitFor(() => seen.closed)).to.equal(true);
  });

  it('reset: every connection is aborted with a TCP RST', async () => {
    server = await startMisbehavingServer('reset');
    for (let i = 0; i < 2; i++) {
      const { socket, seen } = observe(server.port);
      socket.write('x');
      expect(await waitFor(() => seen.closed)).to.equal(true);
      expect(seen.bytes).to.equal(0);
      expect(seen.error).to.equal('ECONNRESET');
    }
    expect(server.connections()).to.equal(2);
  });

  it('slow-close: no bytes, then an orderly close after about 200 ms', async () => {
    server = await startMisbehavingServer('slow-close');
    const { seen, connected } = observe(server.port);
    await connected;
    await delay(100);
    expect(seen.closed).to.equal(false);
    expect(await waitFor(() => seen.closed)).to.equal(true);
    expect(seen).to.deep.include({ bytes: 0, ended: true, closed: true });
    expect(seen.error).to.equal(undefined);
    expect(seen.closedAfter).to.be.within(150, 2000);
  });

  it('close() of a garbage server stops the junk stream and releases the port', async () => {
    server = await startMisbehavingServer('garbage');
    const { seen, connected } = observe(server.port);
    await connected;
    await delay(150);
    await server.close();
    expect(await waitFor(() => seen.closed)).to.equal(true);
    const after = seen.bytes;
    await delay(250);
    expect(seen.bytes).to.equal(after);
    expect(await tcpProbe(server.port)).to.equal('ECONNREFUSED');
  });
});
