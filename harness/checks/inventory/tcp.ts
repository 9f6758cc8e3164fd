import { identificationSettings, identifyTcpServices } from '../../probes/identify/identify.js';
import { scanTcpPorts, tcpScanSettings } from '../../probes/tcp/port-scan.js';
import { tcpCoverageGap } from '../../inventory/coverage.js';
import type { AttackSurface } from '../../inventory/surface.js';
import { tcpInventoryPorts } from '../../inventory/tcp-ports.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { listInterfaces, takeInventory } from './records.js';

/**
 * Open ports identified at most. A device (or a tarpit in front of it) that accepts every port would
 * otherwise cost one identification, and one set of checks, per port: declared ports come first.
 */
const MAX_IDENTIFIED = 128;

/**
 * S1.1-01 interface inventory, TCP: a connect scan of every port the policy names (1–65535 by default),
 * then identification of each open port. An open port that no declared service claims is an access
 * path the vendor did not document (TS 103 701 5.5-4-2, 5.6-1-2).
 */
export async function inventoryTcp(ctx: CheckContext, surface: AttackSurface): Promise<CheckOutcome> {
  const host = ctx.profile.target.address;
  const settings = { ...tcpScanSettings(ctx.policy), ports: tcpInventoryPorts(ctx.profile) };
  if (surface.resumeTcp) {
    const r = surface.resumeTcp;
    ctx.evidence.record({ kind: 'note', summary: `resuming the TCP scan of run ${r.run}: ports ${r.progress.done} were scanned there (${r.progress.open.length} open)`, target: ctx.target, data: { resumedFrom: r.run, done: r.progress.done } });
  }
  const scan = await scanTcpPorts(ctx.net, host, settings, { signal: ctx.signal, resume: surface.resumeTcp?.progress ?? null, onProgress: (p) => surface.saveTcpProgress(p) });
  surface.tcp = { ...scan, resumedFrom: surface.resumeTcp?.run ?? scan.resumedFrom };
  ctx.evidence.record({
    kind: 'observation',
    summary: `TCP connect scan of ports ${scan.ports} (${ctx.policy.portScan.speed}): ${scan.open.length} open, ${scan.filtered.length} filtered, ${scan.closedCount} closed in ${(scan.durationMs / 1000).toFixed(1)} s`,
    target: ctx.target,
    data: { ports: scan.ports, speed: ctx.policy.portScan.speed, open: scan.open, filtered: scan.filtered.slice(0, 100), filteredCount: scan.filtered.length, closedCount: scan.closedCount, attempts: scan.attempts, durationMs: scan.durationMs },
    artifacts: [{ name: 'tcp-scan.json', bytes: JSON.stringify(surface.tcp, null, 2), mediaType: 'application/json' }],
  });
  const declared = new Set(ctx.profile.services.filter((s) => s.transport === 'tcp').map((s) => s.port));
  const toIdentify = [...scan.open].sort((a, b) => Number(declared.has(b)) - Number(declared.has(a)) || a - b).slice(0, MAX_IDENTIFIED);
  if (toIdentify.length < scan.open.length) {
    ctx.evidence.record({ kind: 'note', summary: `${scan.open.length} ports are open; only ${toIdentify.length} (declared ones first) are identified and tested`, target: ctx.target });
  }
  const identities = await identifyTcpServices(ctx.net, host, toIdentify, { ...identificationSettings(ctx.policy), signal: ctx.signal });
  if (ctx.signal.aborted) return inconclusive('the TCP inventory was cut short before identification finished');
  const { rows, undeclared } = takeInventory(ctx, surface, identities, 'tcp');
  if (scan.open.length > MAX_IDENTIFIED && identities.every((i) => i.service === 'unknown')) {
    return inconclusive(`${scan.open.length} ports accept connections and none of the ${identities.length} identified speaks a known protocol: a tarpit or SYN proxy answers for the device, so its own services cannot be told apart`);
  }
  if (undeclared.length > 0) {
    return fail(`undeclared open TCP port(s): ${listInterfaces(undeclared)}; every access path must be declared with its authentication`);
  }
  const gap = tcpCoverageGap(surface.tcp);
  if (gap) return inconclusive(`${gap}; every open TCP port found is declared (${listInterfaces(rows) || 'none'})`);
  return pass(`all ${scan.open.length} open TCP port(s) of ${scan.ports} are declared services: ${listInterfaces(rows)}`);
}
