import { tcpInventoryPorts } from '../../inventory/tcp-ports.js';
import { parsePortRanges } from '../../probes/tcp/port-ranges.js';
import { windowFloor } from '../../probes/tcp/scan-timing.js';
import type { DeviceProfile } from '../../profile/types.js';

/** Identification, and the slack of a busy machine, on top of the scan itself. */
const HEADROOM_MS = 180_000;
const SLACK = 1.5;

/**
 * The TCP inventory's budget: the whole port list at the chosen speed, or, on a device that drops what it
 * does not serve, every port waited for at the shortest timeout with the fewest attempts in flight (one
 * retry each, as a scan that has seen no retry answer allows); never unbounded.
 */
export function inventoryBudgetMs(profile: DeviceProfile): number {
  const { policy } = profile;
  const scan = policy.portScan;
  const pace = scan[scan.speed];
  const attempts = parsePortRanges(tcpInventoryPorts(profile)).length * (1 + Math.min(1, scan.retries));
  const byRate = (attempts / pace.connectionsPerSecond) * 1000;
  const bySilence = (attempts * scan.minTimeoutMs) / windowFloor(pace.maxConcurrency);
  return Math.max(policy.budgets.checkMs, Math.ceil(Math.max(byRate, bySilence) * SLACK) + HEADROOM_MS);
}
