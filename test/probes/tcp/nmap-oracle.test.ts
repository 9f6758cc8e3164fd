import { expect } from 'chai';
import { requireBinaries, requireRoot } from '../../support/daemons.js';
import { jcstarTcpScan, nmapConnectScan, startTcpScanTarget, type TcpScanTarget } from '../../support/tcp-scan-target.js';

/** Listeners on scattered ports, low and high: a debug port, CoAP over TCP, a backdoor's, the last one. */
const LISTENING = [2, 23, 5683, 8443, 31337, 49152, 65535];

describe('TCP scan against nmap -sT -p- (oracle), in a network namespace', function () {
  this.timeout(120_000);
  let target: TcpScanTarget | null = null;
  afterEach(async () => {
    await target?.stop();
    target = null;
  });

  // The fast speed only: the gentle one is the same scan at 1000 connections/s (65 s); bench/tcp-scan.ts compares it too.
  it('finds the same open ports as nmap', async function () {
    requireRoot(this, 'a network namespace of its own, whose loopback only the listeners use');
    requireBinaries(this, { ip: 'iproute2', nmap: 'nmap' });
    target = await startTcpScanTarget('tcpscan', LISTENING);
    const nmap = await nmapConnectScan(target);
    expect(nmap.result).to.deep.equal(LISTENING);
    const jcstar = await jcstarTcpScan(target, 'fast');
    expect(jcstar.result.open).to.deep.equal(nmap.result);
    expect(jcstar.result.done).to.equal('1-65535');
    expect(jcstar.result.filtered).to.deep.equal([]);
    expect(jcstar.result.closedCount).to.equal(65535 - LISTENING.length);
  });
});
