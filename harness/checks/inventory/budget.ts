import { tcpInventoryPorts } from '../../inventory/tcp-ports.js';
import { parsePortRanges } from '../../probes/tcp/port-ranges.js';
import type { DeviceProfile } from '../../profile/types.js';

/** Identification and the scan's retries on top of one pass over the ports at the policy's rate. */
const HEADROOM_MS = 180_000;

/** The TCP inventory's budget: long enough for the whole port list at the chosen speed, never unbounded. */
export function inventoryBudgetMs(profile: DeviceProfile): number {
  const { policy } = profile;
  const { connectionsPerSecond } = policy.portScan[policy.portScan.speed];
  const ports = parsePortRanges(tcpInventoryPorts(profile)).length;
  return Math.max(policy.budgets.checkMs, Math.ceil((ports / connectionsPerSecond) * 1000 * (1 + policy.portScan.retries)) + HEADROOM_MS);
}
