import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeTelnetBanner } from '../../harness/probes/telnet/banner.js';
import { probeTelnetLogin } from '../../harness/probes/telnet/login.js';
import { NEGOTIATION_LIMITS, RECEIVE_LIMIT } from '../../harness/probes/telnet/session.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { startMisbehavingServer, type MisbehavingServer } from '../../harness/simulator/misbehaving.js';

const TIMEOUT_MS = 10_000;

function loopbackNetwork(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.0.1/32']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
}

describe('Telnet probes against a device that never stops', function () {
  this.timeout(30000);
  const signal = new AbortController().signal;
  let server: MisbehavingServer;
  afterEach(() => server?.close());

  it('stop an option negotiation without end at the command limit, well before the time budget, and keep the transcript bounded', async () => {
    server = await startMisbehavingServer('telnet-negotiation');
    const started = Date.now();
    const banner = await probeTelnetBanner(loopbackNetwork(), { host: '127.0.0.1', port: server.port, signal, timeoutMs: TIMEOUT_MS });
    expect(Date.now() - started).to.be.below(TIMEOUT_MS / 2);
    expect(banner.outcome).to.equal('error');
    if (banner.outcome !== 'error') return;
    expect(banner.failure).to.equal('protocol');
    expect(banner.detail).to.equal(
      `the device kept negotiating Telnet options (${NEGOTIATION_LIMITS.commands + 1} commands, ${/(\d+) bytes of commands/.exec(banner.detail)?.[1]} bytes of commands, ` +
        `past the limit of ${NEGOTIATION_LIMITS.commands} commands or ${NEGOTIATION_LIMITS.bytes} bytes); jcstar stopped answering and closed`,
    );
    // One answer at most per command received.
    expect(banner.sent.split('\n').length).to.be.at.most(NEGOTIATION_LIMITS.commands + 1);
  });

  it('stop reading a line without end at the receive limit, and quote only its end', async () => {
    server = await startMisbehavingServer('endless-line', { lineStart: 'Welcome\r\nlogin' });
    const login = await probeTelnetLogin(loopbackNetwork(), { host: '127.0.0.1', port: server.port, signal, timeoutMs: TIMEOUT_MS, credential: { username: 'admin', password: new Secret('x-Secret-1', 'trial') } });
    expect(login.outcome).to.equal('error');
    expect(login.failure).to.equal('protocol');
    expect(login.detail).to.equal(`the device sent more than ${RECEIVE_LIMIT} bytes without a prompt jcstar recognises; jcstar stopped reading and closed; last text: "…${'x'.repeat(80)}"`);
    expect(login.received.length).to.be.at.most(64 * 1024);
  });
});
