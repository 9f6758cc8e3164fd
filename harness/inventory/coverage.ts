import { parsePortRanges } from '../probes/tcp/port-ranges.js';
import type { TcpScanResult, UdpScanResult } from './types.js';

/** Every TCP port: what a full inventory covers (nmap -p-). */
export const ALL_TCP_PORTS = '1-65535';

/**
 * Why a TCP scan cannot show that no undeclared port is open, or null when it can: it must cover every
 * port, have heard the device answer, and leave no port silent among refusing ones (a port that drops
 * while its neighbours refuse is singled out by a rule, and may hide a service).
 */
export function tcpCoverageGap(scan: TcpScanResult): string | null {
  const scanned = parsePortRanges(scan.done).length;
  const listed = parsePortRanges(scan.ports);
  if (listed.length < 65535) return `only ports ${scan.ports || '(none)'} were to be scanned, not ${ALL_TCP_PORTS}`;
  if (scanned < listed.length) return `${listed.length - scanned} of ${listed.length} ports could not be tried (local failures, or the scan was cut short)`;
  if (scan.open.length === 0 && scan.closedCount === 0) return 'no port answered at all';
  if (scan.filtered.length > 0 && scan.closedCount > 0) {
    const shown = scan.filtered.slice(0, 10).map((p) => `${p}/tcp`).join(', ');
    return `${scan.filtered.length} port(s) stayed silent while others refused (${shown}${scan.filtered.length > 10 ? ', …' : ''}): a service may be there behind a filter`;
  }
  return null;
}

/** Why a UDP scan cannot show that no undeclared port is open, or null when it can. */
export function udpCoverageGap(scan: UdpScanResult, declaredPorts: ReadonlySet<number>): string | null {
  if (scan.ports.length === 0) return 'no UDP port was probed';
  const undeclared = scan.ports.filter((p) => !declaredPorts.has(p.port));
  const silent = undeclared.filter((p) => p.state === 'open|filtered' || p.state === 'filtered');
  if (silent.length > 0) {
    return `${silent.map((p) => `${p.port}/udp (${p.payload}: ${p.reason})`).join(', ')} gave no answer and no ICMP port unreachable: a service there cannot be ruled out`;
  }
  return null;
}
