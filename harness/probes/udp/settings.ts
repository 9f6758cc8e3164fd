import type { Policy } from '../../policy/schema.js';
import { EMPTY_PAYLOAD, UDP_PORT_PAYLOADS } from './table.js';

/** How the UDP inventory probes one device: which payload goes to which port, and how patiently. */
export interface UdpScanSettings {
  /** Each probed port with the name of its payload (a key of UDP_PAYLOADS). */
  probes: Array<{ port: number; payload: string }>;
  /** Sends after the first one before a silent port counts as open|filtered. */
  retries: number;
  /** Longest wait for an answer after each send: until the host has answered anything, the wait. */
  timeoutMs: number;
  /** Shortest wait, once answers show the host's round-trip time (four times the slowest answer). */
  minTimeoutMs: number;
  /** Ports probed at once. */
  concurrency: number;
}

/** The policy's UDP scan: every port of the payload table, then the policy's extra ports with an empty datagram. */
export function udpScanSettings(policy: Policy): UdpScanSettings {
  const probes = [...UDP_PORT_PAYLOADS].map(([port, payload]) => ({ port, payload: payload.name }));
  for (const port of policy.udpScan.ports) if (!UDP_PORT_PAYLOADS.has(port)) probes.push({ port, payload: EMPTY_PAYLOAD.name });
  return { probes: [...new Map(probes.map((p) => [p.port, p])).values()].sort((a, b) => a.port - b.port), retries: policy.udpScan.retries, timeoutMs: policy.udpScan.timeoutMs, minTimeoutMs: policy.udpScan.minTimeoutMs, concurrency: policy.udpScan.concurrency };
}
