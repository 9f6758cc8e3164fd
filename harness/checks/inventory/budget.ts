import type { Policy } from '../../policy/schema.js';
import { countPorts } from '../../probes/tcp/port-ranges.js';

/** Identification and the scan's retries on top of one pass over the ports at the policy's rate. */
const HEADROOM_MS = 180_000;

/** The TCP inventory's budget: long enough for the whole port list at the chosen speed, never unbounded. */
export function inventoryBudgetMs(policy: Policy): number {
  const { connectionsPerSecond } = policy.portScan[policy.portScan.speed];
  return Math.max(policy.budgets.checkMs, Math.ceil((countPorts(policy.portScan.tcpPorts) / connectionsPerSecond) * 1000 * (1 + policy.portScan.retries)) + HEADROOM_MS);
}
