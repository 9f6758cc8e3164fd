/**
 * `node scan-tcp-cli.js <host> <gentle|fast>`: jcstar's TCP scan of every port of the default policy at
 * that speed, run inside a test's network namespace (`ip netns exec`); prints the TcpScanResult as JSON.
 */
import { GuardedNetwork } from '../../harness/net/network.js';
import { loadDefaultPolicy } from '../../harness/policy/load.js';
import { scanTcpPorts, tcpScanSettings } from '../../harness/probes/tcp/port-scan.js';
import { ScopeGuard } from '../../harness/scope/guard.js';

const [host, speed] = process.argv.slice(2);
if (!host || (speed !== 'gentle' && speed !== 'fast')) throw new Error('usage: scan-tcp-cli <host> <gentle|fast>');
const policy = loadDefaultPolicy();
policy.portScan.speed = speed;
const net = new GuardedNetwork(new ScopeGuard([`${host}/32`]), { ...policy.rateLimit, connectTimeoutMs: policy.budgets.connectTimeoutMs });
const result = await scanTcpPorts(net, host, tcpScanSettings(policy), { signal: AbortSignal.timeout(10 * 60_000), resume: null });
process.stdout.write(`${JSON.stringify(result)}\n`);
