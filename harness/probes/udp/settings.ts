import type { Policy } from '../../policy/schema.js';
import type { Protocol } from '../../profile/schema.js';
import type { Service } from '../../profile/types.js';
import { COAP_PAYLOAD } from './coap.js';
import { DTLS_PAYLOAD } from './dtls.js';
import type { UdpPayload } from './payload.js';
import { SNMP_PAYLOAD } from './snmp.js';
import { SSDP_PAYLOAD } from './ssdp.js';
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

/** The payload a declared UDP service gets on a port of its own choosing. */
const PAYLOAD_BY_PROTOCOL: Partial<Record<Protocol, UdpPayload>> = { coap: COAP_PAYLOAD, coaps: DTLS_PAYLOAD, snmp: SNMP_PAYLOAD, upnp: SSDP_PAYLOAD };

/**
 * The policy's UDP scan: every port of the payload table (unless the policy turns it off), each declared
 * UDP service with its protocol's payload, then the policy's extra ports with an empty datagram.
 */
export function udpScanSettings(policy: Policy, declared: readonly Pick<Service, 'port' | 'protocol' | 'transport'>[] = []): UdpScanSettings {
  const probes = policy.udpScan.payloadTable ? [...UDP_PORT_PAYLOADS].map(([port, payload]) => ({ port, payload: payload.name })) : [];
  for (const service of declared) {
    const payload = service.transport === 'udp' ? UDP_PORT_PAYLOADS.get(service.port) ?? PAYLOAD_BY_PROTOCOL[service.protocol] ?? EMPTY_PAYLOAD : null;
    if (payload && !probes.some((p) => p.port === service.port)) probes.push({ port: service.port, payload: payload.name });
  }
  for (const port of policy.udpScan.ports) if (!probes.some((p) => p.port === port)) probes.push({ port, payload: UDP_PORT_PAYLOADS.get(port)?.name ?? EMPTY_PAYLOAD.name });
  return { probes: [...new Map(probes.map((p) => [p.port, p])).values()].sort((a, b) => a.port - b.port), retries: policy.udpScan.retries, timeoutMs: policy.udpScan.timeoutMs, minTimeoutMs: policy.udpScan.minTimeoutMs, concurrency: policy.udpScan.concurrency };
}
