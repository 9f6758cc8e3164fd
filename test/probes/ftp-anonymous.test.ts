import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeFtpAnonymous } from '../../harness/probes/ftp/anonymous.js';
import { ScopeGuard } from '../../harness/scope/guard.js';

/** The anonymous-FTP probe against scripted servers on 127.0.113.x: what it trusts, and how long it waits. */

const HOST = '127.0.113.1';
const TIMEOUT_MS = 1500;

function network(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.113.0/24']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
}

interface Fake {
  port: number;
  dataConnections: number;
  close(): Promise<void>;
}

/**
 * An FTP server that lets anonymous in and answers PASV with `pasvHost` (commas for dots) and a data port of its
 * own on HOST; its data connection sends `listing` and then closes, or, with `hold`, never closes.
 */
async function fakeFtp(pasvHost: string, listing: string, hold = false): Promise<Fake> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => (sockets.add(s), s.on('error', () => {}), s.on('close', () => sockets.delete(s)));
  const fake = { dataConnections: 0 } as Fake;
  const data: Server = createServer((socket) => {
    track(socket);
    fake.dataConnections++;
    socket.write(listing);
    if (!hold) socket.end();
  });
  await new Promise<void>((resolve) => data.listen(0, HOST, resolve));
  const dataPort = (data.address() as { port: number }).port;
  const control = createServer((socket) => {
    track(socket);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const verb = buffered.slice(0, end).split(' ')[0]!.toUpperCase();
        buffered = buffered.slice(end + 2);
        if (verb === 'USER') socket.write('331 Any password will do.\r\n');
        else if (verb === 'PASS') socket.write('230 Login successful.\r\n');
        else if (verb === 'PASV') socket.write(`227 Entering Passive Mode (${pasvHost.replaceAll('.', ',')},${dataPort >> 8},${dataPort & 255}).\r\n`);
        else if (verb === 'LIST') socket.write(hold ? '150 Here comes the directory listing.\r\n' : '150 Here comes the directory listing.\r\n226 Directory send OK.\r\n');
        else if (verb === 'QUIT') socket.end('221 Goodbye.\r\n');
        else socket.write('502 Command not implemented.\r\n');
      }
    });
    socket.write('220 (fake camera FTP)\r\n');
  });
  await new Promise<void>((resolve) => control.listen(0, HOST, resolve));
  fake.port = (control.address() as { port: number }).port;
  fake.close = async () => {
    for (const s of sockets) s.destroy();
    await Promise.all([data, control].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  return fake;
}

describe('anonymous FTP probe', function () {
  this.timeout(10000);

  it('opens the data connection on the probed host, whatever address the PASV reply names', async () => {
    const fake = await fakeFtp('198.51.100.9', '-rw-r--r-- 1 0 0 12 Jan 01 2019 backup.cfg\r\n');
    try {
      const observed = await probeFtpAnonymous(network(), { host: HOST, port: fake.port, tls: false, signal: new AbortController().signal, timeoutMs: TIMEOUT_MS });
      expect(observed.login).to.equal('accepted');
      expect(observed.listing).to.deep.equal(['-rw-r--r-- 1 0 0 12 Jan 01 2019 backup.cfg']);
      expect(fake.dataConnections).to.equal(1);
      expect(observed.sent).to.equal('USER anonymous\nPASS ftp\nPASV\nLIST\nQUIT');
    } finally {
      await fake.close();
    }
  });

  it('gives up on a data connection that never ends, within its timeout, and says so', async () => {
    const fake = await fakeFtp(HOST, 'drwxr-xr-x 2 0 0 4096 Jan 01 2019 pub\r\n', true);
    try {
      const started = Date.now();
      const observed = await probeFtpAnonymous(network(), { host: HOST, port: fake.port, tls: false, signal: new AbortController().signal, timeoutMs: TIMEOUT_MS });
      expect(Date.now() - started).to.be.below(TIMEOUT_MS + 1500);
      expect(observed.login).to.equal('accepted');
      expect(observed.listing).to.equal(null);
      expect(observed.listingFailure).to.equal(`no complete listing within ${TIMEOUT_MS} ms`);
    } finally {
      await fake.close();
    }
  });
});
