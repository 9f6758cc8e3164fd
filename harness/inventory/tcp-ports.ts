import { formatPortRanges, parsePortRanges } from '../probes/tcp/port-ranges.js';
import type { DeviceProfile } from '../profile/types.js';

/** The TCP ports the inventory scans: the policy's list, and every declared TCP service's port in any case. */
export function tcpInventoryPorts(profile: DeviceProfile): string {
  const declared = profile.services.filter((s) => s.transport === 'tcp').map((s) => s.port);
  return formatPortRanges([...new Set([...parsePortRanges(profile.policy.portScan.tcpPorts), ...declared])].sort((a, b) => a - b));
}
