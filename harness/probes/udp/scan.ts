import { setMaxListeners } from 'node:events';
import type { UdpScanResult } from '../../inventory/types.js';
import type { GuardedNetwork } from '../../net/network.js';
import { probeUdpPort, type UdpPortEntry } from './port-probe.js';
import { RoundTrips } from './round-trips.js';
import type { UdpScanSettings } from './settings.js';
import { UDP_PAYLOADS } from './table.js';

export { udpScanSettings, type UdpScanSettings } from './settings.js';

/**
 * The UDP inventory of one host: every probe of `settings`, `concurrency` ports at a time, each reported
 * as nmap -sU would (open, closed, open|filtered; filtered on ICMP host or network unreachable), with the
 * service identified from its answer. The wait per send adapts to the host's round-trip time (RoundTrips).
 * Rejects only on abort, a scope violation or an unknown payload name.
 */
export async function scanUdpPorts(net: GuardedNetwork, host: string, settings: UdpScanSettings, signal: AbortSignal): Promise<UdpScanResult> {
  // Out of scope: refused before any socket exists.
  net.guard.assert(host);
  const started = Date.now();
  const queue = settings.probes.map(({ port, payload }) => {
    const known = UDP_PAYLOADS.get(payload);
    if (!known) throw new Error(`no UDP payload named ${payload}`);
    return { port, payload: known };
  });
  const ports: UdpPortEntry[] = [];
  // One listener on the caller's signal; the ports in flight each listen on the scan's own.
  const scan = new AbortController();
  setMaxListeners(2 * settings.concurrency + 10, scan.signal);
  const onAbort = () => scan.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  const roundTrips = new RoundTrips(Math.min(settings.minTimeoutMs, settings.timeoutMs), settings.timeoutMs);
  const worker = async () => {
    for (let probe = queue.shift(); probe !== undefined; probe = queue.shift()) {
      ports.push(await probeUdpPort(net, host, probe.port, probe.payload, settings.retries, roundTrips, scan.signal));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.concurrency, queue.length)) }, worker));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return { host, ports: ports.sort((a, b) => a.port - b.port), durationMs: Date.now() - started };
}
