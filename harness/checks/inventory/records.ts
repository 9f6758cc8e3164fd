import { describeInterface, type InterfaceDiff, type InterfaceRow } from '../../inventory/interfaces.js';
import type { ServiceIdentity } from '../../inventory/types.js';
import type { CheckContext } from '../../suite/context.js';

/** One evidence item per identified port: what answered, how it was recognised, and whether it is declared. */
export function recordIdentity(ctx: CheckContext, identity: ServiceIdentity): void {
  const declared = ctx.profile.services.find((s) => s.port === identity.port && s.transport === identity.transport);
  const what = `${identity.tls ? 'TLS ' : ''}${identity.service}${identity.product ? ` (${identity.product})` : ''}`;
  ctx.evidence.record({
    kind: 'observation',
    summary: `${identity.port}/${identity.transport}: ${what}; ${declared ? `declared as ${declared.name}` : 'NOT declared'}`,
    target: { host: ctx.profile.target.address, port: identity.port, protocol: identity.protocol ?? identity.service, transport: identity.transport },
    sent: identity.exchanges.map((e) => `[${e.probe}] ${e.sent}`).join('\n') || null,
    received: identity.exchanges.map((e) => `[${e.probe}] ${e.received}`).join('\n') || null,
    data: { identity },
  });
}

export function recordMissing(ctx: CheckContext, missing: InterfaceDiff['missing']): void {
  for (const { service, state } of missing) {
    ctx.evidence.record({
      kind: 'note',
      summary: `declared service ${service.name} (${service.port}/${service.transport}) was not found open: ${state}`,
      target: { host: ctx.profile.target.address, port: service.port, protocol: service.protocol, transport: service.transport },
    });
  }
}

const LISTED = 12;

/** Interfaces as a verdict names them: the first dozen in full, then how many more. */
export function listInterfaces(rows: InterfaceRow[]): string {
  const shown = rows.slice(0, LISTED).map(describeInterface).join('; ');
  return rows.length > LISTED ? `${shown}; and ${rows.length - LISTED} more` : shown;
}
