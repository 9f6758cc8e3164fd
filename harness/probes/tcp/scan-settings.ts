import type { Policy } from '../../policy/schema.js';

/** How a TCP scan runs: which ports, how fast, how patiently. */
export interface TcpScanSettings {
  /** nmap ranges: "1-65535", "22,80,8000-8100". */
  ports: string;
  /** The policy's speed name, for the evidence. */
  speed: 'gentle' | 'fast';
  connectionsPerSecond: number;
  maxConcurrency: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /** Further attempts on a port that did not answer before it is called filtered. */
  retries: number;
}

export function tcpScanSettings(policy: Policy): TcpScanSettings {
  const scan = policy.portScan;
  const pace = scan[scan.speed];
  return {
    ports: scan.tcpPorts,
    speed: scan.speed,
    connectionsPerSecond: pace.connectionsPerSecond,
    maxConcurrency: pace.maxConcurrency,
    minTimeoutMs: scan.minTimeoutMs,
    maxTimeoutMs: scan.maxTimeoutMs,
    retries: scan.retries,
  };
}
