import { loadDebugServices } from '../../inventory/debug-services.js';
import { describeInterface, diffInterfaces, type InterfaceDiff, type InterfaceRow } from '../../inventory/interfaces.js';
import type { AttackSurface } from '../../inventory/surface.js';
import type { ServiceIdentity, Transport } from '../../inventory/types.js';
import type { CheckContext } from '../../suite/context.js';

/** One evidence item per identified port: what answered, how it was recognised, and whether it is declared. */
function recordIdentity(ctx: CheckContext, identity: ServiceIdentity): void {
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

/**
 * Adds what identification found on one transport to the surface and the evidence, notes the declared
 * services not found, and returns that transport's rows of the diff against the profile.
 */
export function takeInventory(ctx: CheckContext, surface: AttackSurface, identities: readonly ServiceIdentity[], transport: Transport): { rows: InterfaceRow[]; undeclared: InterfaceRow[] } {
  for (const identity of identities) {
    surface.identify(identity);
    recordIdentity(ctx, identity);
  }
  const diff = diffInterfaces(ctx.profile, surface, loadDebugServices());
  recordMissing(ctx, diff.missing.filter((m) => m.service.transport === transport));
  return { rows: diff.rows.filter((r) => r.transport === transport), undeclared: diff.undeclared.filter((r) => r.transport === transport) };
}

function recordMissing(ctx: CheckContext, missing: InterfaceDiff['missing']): void {
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
