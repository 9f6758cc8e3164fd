import { expect } from 'chai';
import { tcpCoverageGap, udpCoverageGap } from '../../harness/inventory/coverage.js';
import type { TcpScanResult, UdpScanResult } from '../../harness/inventory/types.js';

const full: TcpScanResult = { host: '192.0.2.1', ports: '1-65535', done: '1-65535', open: [443], filtered: [], closedCount: 65534, durationMs: 1, attempts: 65535, resumedFrom: null };

function udp(...states: Array<[number, UdpScanResult['ports'][number]['state'], string]>): UdpScanResult {
  return { host: '192.0.2.1', durationMs: 1, ports: states.map(([port, state, reason]) => ({ port, transport: 'udp', state, reason, payload: 'p', identity: null })) };
}

describe('inventory coverage: what a scan must have established before "no undeclared port" can PASS', () => {
  it('accepts a full TCP scan in which every port answered', () => {
    expect(tcpCoverageGap(full)).to.equal(null);
    // A device that drops everything it does not serve: silence is its answer on every unused port.
    expect(tcpCoverageGap({ ...full, filtered: Array.from({ length: 65534 }, (_, i) => i + 1), closedCount: 0 })).to.equal(null);
  });

  it('refuses a partial port list, an unfinished scan, a silent host, and silent ports among refusing ones', () => {
    expect(tcpCoverageGap({ ...full, ports: '1-1024', done: '1-1024' })).to.equal('only ports 1-1024 were to be scanned, not 1-65535');
    expect(tcpCoverageGap({ ...full, done: '1-60000' })).to.equal('5535 of 65535 ports could not be tried (local failures, or the scan was cut short)');
    expect(tcpCoverageGap({ ...full, open: [], closedCount: 0, filtered: [] })).to.equal('no port answered at all');
    expect(tcpCoverageGap({ ...full, filtered: [23], closedCount: 65533 })).to.equal('1 port(s) stayed silent while others refused (23/tcp): a service may be there behind a filter');
  });

  it('accepts UDP only when every undeclared port was refused, and names the ones that were not', () => {
    expect(udpCoverageGap(udp([161, 'closed', 'port-unreach'], [5683, 'open', 'udp-response']), new Set([5683]))).to.equal(null);
    expect(udpCoverageGap(udp(), new Set())).to.equal('no UDP port was probed');
    expect(udpCoverageGap(udp([161, 'filtered', 'host-unreach'], [1900, 'open|filtered', 'no-response']), new Set())).to.equal(
      '161/udp (p: host-unreach), 1900/udp (p: no-response) gave no answer and no ICMP port unreachable: a service there cannot be ruled out',
    );
  });
});
