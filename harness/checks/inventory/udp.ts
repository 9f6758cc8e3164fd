import { scanUdpPorts, udpScanSettings } from '../../probes/udp/scan.js';
import { udpCoverageGap } from '../../inventory/coverage.js';
import type { AttackSurface } from '../../inventory/surface.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { listInterfaces, takeInventory } from './records.js';

/**
 * S1.1-01 interface inventory, UDP: the ports IoT devices use, each probed with its protocol's payload.
 * Only an answer makes a port open; silence is open|filtered, which proves neither way.
 */
export async function inventoryUdp(ctx: CheckContext, surface: AttackSurface): Promise<CheckOutcome> {
  const host = ctx.profile.target.address;
  const scan = await scanUdpPorts(ctx.net, host, udpScanSettings(ctx.policy, ctx.profile.services), ctx.signal);
  surface.udp = scan;
  const count = (state: string) => scan.ports.filter((p) => p.state === state).length;
  ctx.evidence.record({
    kind: 'observation',
    summary: `UDP scan of ${scan.ports.length} port(s) with protocol payloads: ${count('open')} open, ${count('closed')} closed, ${count('open|filtered')} open|filtered in ${(scan.durationMs / 1000).toFixed(1)} s`,
    target: ctx.target,
    data: { ports: scan.ports.map(({ port, state, reason, payload }) => ({ port, state, reason, payload })) },
    artifacts: [{ name: 'udp-scan.json', bytes: JSON.stringify(scan, null, 2), mediaType: 'application/json' }],
  });
  if (ctx.signal.aborted) return inconclusive('the UDP inventory was cut short');
  const { undeclared } = takeInventory(ctx, surface, scan.ports.flatMap((p) => (p.identity ? [p.identity] : [])), 'udp');
  if (undeclared.length > 0) {
    return fail(`undeclared open UDP port(s): ${listInterfaces(undeclared)}; every access path must be declared with its authentication`);
  }
  const gap = udpCoverageGap(scan, new Set(ctx.profile.services.filter((s) => s.transport === 'udp').map((s) => s.port)));
  if (gap) return inconclusive(`${gap}; no undeclared UDP port answered`);
  const open = scan.ports.filter((p) => p.state === 'open').map((p) => `${p.port}/udp`);
  const answered = open.length ? `${open.join(', ')} answered, declared; ` : '';
  return pass(`of ${scan.ports.length} probed UDP port(s), ${answered}every other one was refused (ICMP port unreachable)`);
}
