import { loadDebugServices } from '../../inventory/debug-services.js';
import { tcpCoverageGap, udpCoverageGap } from '../../inventory/coverage.js';
import { diffInterfaces } from '../../inventory/interfaces.js';
import { listInterfaces } from './records.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';

/**
 * S1.1-13 (inferred: unused interfaces disabled, EN 303 645 5.6-1): judged on the inventory that S1.1-01
 * made. An interface the vendor does not declare is taken to be unused; it must not answer.
 */
export async function checkUnusedInterfaces(ctx: CheckContext): Promise<CheckOutcome> {
  const { tcp, udp } = ctx.surface;
  if (!tcp || !udp) {
    ctx.evidence.record({ kind: 'note', summary: 'the interface inventory did not finish in this run', target: ctx.target });
    return inconclusive(`the interface inventory (S1.1-01/interface-inventory) did not finish${tcp ? '' : ' its TCP scan'}${udp ? '' : `${tcp ? '' : ' or'} its UDP scan`}, so no interface can be judged`);
  }
  const diff = diffInterfaces(ctx.profile, ctx.surface, loadDebugServices());
  const seq = ctx.evidence.record({
    kind: 'observation',
    summary: `inventory of ports ${tcp.ports}/tcp and ${udp.ports.length} UDP port(s) against the declared services: ${diff.undeclared.length} undeclared interface(s) answer`,
    target: ctx.target,
    data: { rows: diff.rows, missing: diff.missing.map((m) => ({ service: m.service.name, port: m.service.port, transport: m.service.transport, state: m.state })) },
  }).seq;
  if (diff.undeclared.length > 0) {
    return fail(`interfaces the profile does not declare in use are enabled: ${listInterfaces(diff.undeclared)} (evidence #${seq}); disable them, or declare them with their purpose and authentication`);
  }
  const gap = tcpCoverageGap(tcp) ?? udpCoverageGap(udp, new Set(ctx.profile.services.filter((s) => s.transport === 'udp').map((s) => s.port)));
  if (gap) return inconclusive(`${gap}; no undeclared interface answered (evidence #${seq})`);
  return pass(`every interface that answers on ports ${tcp.ports}/tcp and the ${udp.ports.length} probed UDP port(s) is a declared service (evidence #${seq})`);
}
