import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { NetError } from '../../harness/net/errors.js';
import { FtpControl } from '../../harness/probes/ftp/control.js';
import { RtspConnection } from '../../harness/probes/rtsp/connection.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { startMisbehavingServer, type MisbehavingServer } from '../../harness/simulator/misbehaving.js';

function loopbackNetwork(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.0.1/32']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
}

describe('FTP and RTSP connections flooded with well-formed replies nobody asked for', function () {
  this.timeout(20000);
  const signal = new AbortController().signal;
  let server: MisbehavingServer;
  afterEach(() => server?.close());

  it('FTP stops reading past 50 unread replies and fails the connection with the reason', async () => {
    server = await startMisbehavingServer('reply-flood', { reply: '220 ready\r\n' });
    const control = new FtpControl(await loopbackNetwork().connectTcp('127.0.0.1', server.port, { signal, timeoutMs: 2000 }));
    await sleep(300);
    expect(control.closed).to.equal(true);
    let queued = 0;
    const failure = await (async () => {
      for (;;) {
        try {
          await control.next(signal);
          queued++;
        } catch (err) {
          return err;
        }
      }
    })();
    expect(queued).to.equal(51);
    expect(failure).to.be.instanceOf(NetError);
    expect((failure as NetError).failure).to.equal('protocol');
    expect((failure as NetError).message).to.equal('the server sent more than 50 replies that nothing asked for; jcstar stopped reading and closed');
    expect(control.received.split('\n').length).to.be.at.most(200);
    control.close();
  });

  it('RTSP fails the connection past 20 unread responses', async () => {
    server = await startMisbehavingServer('reply-flood', { reply: 'RTSP/1.0 200 OK\r\nCSeq: 0\r\nContent-Length: 0\r\n\r\n' });
    const connection = await RtspConnection.open(loopbackNetwork(), '127.0.0.1', server.port, { signal, timeoutMs: 2000 });
    await sleep(300);
    const failure = await connection.request('OPTIONS', 'rtsp://127.0.0.1/', {}, { signal, timeoutMs: 2000 }).then(() => null, (err: unknown) => err);
    expect(failure).to.be.instanceOf(NetError);
    expect((failure as NetError).message).to.equal('the RTSP server sent more than 20 responses that nothing asked for; jcstar stopped reading and closed');
    connection.close();
  });
});
