/**
 * scanUdpPorts in a child process, for a device in a network namespace (`ip netns exec <ns> node
 * udp-scan-child.js <host> <settings JSON>`): prints the UdpScanResult as JSON on stdout. The network is
 * guarded to that one host, at the default policy's rate limit.
 */
import { GuardedNetwork } from '../../harness/net/network.js';
import { loadDefaultPolicy } from '../../harness/policy/load.js';
import { scanUdpPorts, type UdpScanSettings } from '../../harness/probes/udp/scan.js';
import { ScopeGuard } from '../../harness/scope/guard.js';

if (process.argv[1]?.endsWith('udp-scan-child.js')) {
  const [host, settings] = process.argv.slice(2);
  const { rateLimit, budgets } = loadDefaultPolicy();
  const net = new GuardedNetwork(new ScopeGuard([`${host}/32`]), { ...rateLimit, connectTimeoutMs: budgets.connectTimeoutMs });
  const result = await scanUdpPorts(net, host!, JSON.parse(settings!) as UdpScanSettings, new AbortController().signal);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
