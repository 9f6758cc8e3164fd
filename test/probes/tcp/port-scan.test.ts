import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TcpScanProgress } from '../../../harness/inventory/types.js';
import { GuardedNetwork } from '../../../harness/net/network.js';
import type { ConnectionLimiter } from '../../../harness/net/rate-limit.js';
import type { Handshake } from '../../../harness/net/tcp-handshake.js';
import { TokenBucket } from '../../../harness/net/token-bucket.js';
import { parsePortRanges } from '../../../harness/probes/tcp/port-ranges.js';
import { scanTcpPorts, type TcpScanSettings } from '../../../harness/probes/tcp/port-scan.js';
import { ScopeGuard, ScopeViolation } from '../../../harness/scope/guard.js';
import { freePort, requireBinaries } from '../../support/daemons.js';

const HOST = '127.0.0.1';
const SETTINGS: TcpScanSettings = { ports: '', speed: 'fast', connectionsPerSecond: 5000, maxConcurrency: 64, minTimeoutMs: 100, maxTimeoutMs: 1000, retries: 2 };
/** The network's own limiter allows one connection a second: a scan that used it would crawl. */
const network = () => new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1, authAttemptsPerSecond: 1, connectTimeoutMs: 1000 });
const run = (extra: Partial<{ signal: AbortSignal; resume: TcpScanProgress | null; onProgress: (p: TcpScanProgress) => void }> = {}) => ({
  signal: AbortSignal.timeout(60_000),
  resume: null,
  ...extra,
});

async function listen(port: number): Promise<Server | null> {
  const server = createServer((socket: Socket) => socket.on('error', () => {}));
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, HOST, () => resolve(server));
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('TCP connect scan', function () {
  this.timeout(60_000);
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  it('finds the open ports, counts the refused ones closed, and resets every connection it completed', async function () {
    requireBinaries(this, { ss: 'iproute2' });
    const open: number[] = [];
    for (let i = 0; i < 3; i++) {
      const server = await listen(0);
      servers.push(server!);
      open.push((server!.address() as { port: number }).port);
    }
    const closed = [await freePort(HOST), await freePort(HOST)];
    const ports = [...open, ...closed].join(',');
    const result = await scanTcpPorts(network(), HOST, { ...SETTINGS, ports }, run());
    expect(result.open).to.deep.equal([...open].sort((a, b) => a - b));
    expect(result.closedCount).to.equal(2);
    expect(result.filtered).to.deep.equal([]);
    expect(parsePortRanges(result.done)).to.deep.equal(parsePortRanges(ports));
    expect(result.attempts).to.equal(5);
    expect(result.resumedFrom).to.equal(null);
    expect(result.durationMs, 'the network\'s one-a-second limiter was not used').to.be.below(3000);
    // A reset, not a FIN: neither side keeps the connection in TIME_WAIT.
    const timeWait = execFileSync('ss', ['-tanH', 'state', 'time-wait'], { encoding: 'utf8' });
    for (const port of open) expect(timeWait, `TIME_WAIT on ${port}`).not.to.match(new RegExp(`:${port}\\b`));
  });

  it('scans an IPv6 address', async () => {
    const server = createServer((socket: Socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => server.listen(0, '::1', () => resolve()));
    servers.push(server);
    const port = (server.address() as { port: number }).port;
    const net = new GuardedNetwork(new ScopeGuard(['::1/128']), { connectionsPerSecond: 1, authAttemptsPerSecond: 1, connectTimeoutMs: 1000 });
    const result = await scanTcpPorts(net, '::1', { ...SETTINGS, ports: `${port}-${port + 1}` }, run());
    expect(result.open).to.include(port);
    expect(result.done).to.equal(`${port}-${port + 1}`);
  });

  it('keeps to the settings\' rate cap', async () => {
    const first = await freePort(HOST);
    const result = await scanTcpPorts(network(), HOST, { ...SETTINGS, ports: `${first}-${first + 59}`, connectionsPerSecond: 100 }, run());
    expect(result.attempts).to.equal(60);
    expect(result.durationMs, '60 connections at 100 a second').to.be.at.least(550);
  });

  it('refuses a host outside the scope before any connection, in the scan and in each handshake', async () => {
    const err = await scanTcpPorts(network(), '127.0.0.2', { ...SETTINGS, ports: '22' }, run()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ScopeViolation);
    const handshake = await network().handshakeTcp('127.0.0.2', 22, { timeoutMs: 100, limiter: new TokenBucket(10) }).catch((e: unknown) => e);
    expect(handshake).to.be.instanceOf(ScopeViolation);
  });

  it('resumes an interrupted scan: skips the ports already answered, keeps their findings, ends with the same open set', async () => {
    const BASE = 20000;
    const ports = `${BASE}-${BASE + 2999}`;
    for (const port of [BASE + 7, BASE + 1500, BASE + 2999]) {
      const server = await listen(port);
      if (server) servers.push(server);
    }
    const ours = servers.map((s) => (s.address() as { port: number }).port).sort((a, b) => a - b);
    expect(ours.length, 'at least one listener in the range').to.be.above(0);
    const gentle = { ...SETTINGS, ports, connectionsPerSecond: 1000 };

    const interrupt = new AbortController();
    const reported: TcpScanProgress[] = [];
    const first = await scanTcpPorts(network(), HOST, gentle, run({ signal: interrupt.signal, onProgress: (p) => (reported.push(p), interrupt.abort()) })).catch((e: unknown) => e);
    expect((first as Error).name).to.equal('AbortError');
    expect(reported.length, 'one report every 2 s, and one at the abort').to.equal(2);
    const saved = JSON.parse(JSON.stringify(reported.at(-1))) as TcpScanProgress;
    const doneBefore = parsePortRanges(saved.done).length;
    expect(doneBefore).to.be.within(1000, 2999);

    const resumed = await scanTcpPorts(network(), HOST, gentle, run({ resume: saved }));
    expect(parsePortRanges(resumed.done)).to.deep.equal(parsePortRanges(ports));
    expect(resumed.attempts, 'only the ports the first scan had not answered').to.be.within(3000 - doneBefore, 3000 - doneBefore + 50);
    expect(resumed.open).to.include.members(saved.open);
    expect(resumed.open).to.include.members(ours);
    expect(resumed.closedCount).to.be.at.least(saved.closedCount);
    expect(resumed.open.length + resumed.closedCount + resumed.filtered.length).to.equal(3000);

    const uninterrupted = await scanTcpPorts(network(), HOST, { ...gentle, connectionsPerSecond: 5000 }, run());
    expect(resumed.open).to.deep.equal(uninterrupted.open);
  });

  describe('ports that do not answer', () => {
    /** A network where each port answers by script: refused, or silence until the attempt's timeout. */
    class ScriptedNetwork extends GuardedNetwork {
      readonly tries = new Map<number, number>();
      constructor(readonly answers: (port: number, attempt: number) => 'refused' | 'silent') {
        super(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1, authAttemptsPerSecond: 1, connectTimeoutMs: 1000 });
      }

      override async handshakeTcp(host: string, port: number, options: { timeoutMs: number; limiter: ConnectionLimiter }): Promise<Handshake> {
        this.guard.assert(host);
        await options.limiter.take();
        const attempt = this.tries.get(port) ?? 0;
        this.tries.set(port, attempt + 1);
        if (this.answers(port, attempt) === 'refused') return { answer: 'refused', error: 'ECONNREFUSED' };
        await sleep(options.timeoutMs);
        return { answer: 'timeout', error: null };
      }
    }
    const quick = { ...SETTINGS, ports: '1-10', minTimeoutMs: 50, maxTimeoutMs: 100 };

    it('calls a silent port filtered after as many retries as ever helped on this device, and no more than the policy\'s', async () => {
      const net = new ScriptedNetwork((port) => (port <= 3 ? 'silent' : 'refused'));
      const result = await scanTcpPorts(net, HOST, quick, run());
      expect(result.filtered).to.deep.equal([1, 2, 3]);
      expect(result.closedCount).to.equal(7);
      expect([1, 2, 3].map((p) => net.tries.get(p)), 'one retry: no retry has answered yet').to.deep.equal([2, 2, 2]);
      expect(result.attempts).to.equal(13);
    });

    it('retries up to the policy\'s count once a retry has been answered, and classifies the late answer', async () => {
      const net = new ScriptedNetwork((port, attempt) => (port <= 3 || (port === 5 && attempt === 0) ? 'silent' : 'refused'));
      const result = await scanTcpPorts(net, HOST, quick, run());
      expect(result.filtered).to.deep.equal([1, 2, 3]);
      expect(result.closedCount, 'port 5 answered its retry').to.equal(7);
      expect([1, 2, 3].map((p) => net.tries.get(p))).to.deep.equal([3, 3, 3]);
      expect(result.durationMs, 'three timeouts of at most 100 ms each, in parallel').to.be.below(2000);
    });

    it('tries a silent port once with no retries', async () => {
      const net = new ScriptedNetwork((port) => (port <= 3 ? 'silent' : 'refused'));
      const result = await scanTcpPorts(net, HOST, { ...quick, retries: 0 }, run());
      expect(result.filtered).to.deep.equal([1, 2, 3]);
      expect(result.attempts).to.equal(10);
    });
  });
});
