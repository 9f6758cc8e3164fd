import { parsePortRanges } from '../probes/tcp/port-ranges.js';
import type { DeviceProfile, Service } from '../profile/types.js';
import { declaredAt } from './discovered-services.js';
import type { DebugServices } from './debug-services.js';
import type { PortState, SurfaceView, Transport } from './types.js';

/** One line of the interface table: what answers on a port, and whether the profile declares it. */
export interface InterfaceRow {
  port: number;
  transport: Transport;
  state: PortState;
  /** As identified ("ssh", "coap+tcp", "unknown"), or null when nothing was identified. */
  service: string | null;
  tls: boolean;
  product: string | null;
  banner: string | null;
  /** The declared service on this port, or null. */
  declared: string | null;
  /** What the debug-service catalogue calls it, for an undeclared known debug or factory service. */
  debug: string | null;
}

/** Rows kept in the table: a device (or a tarpit) that accepts every port must not make a 65535-row report. */
const MAX_ROWS = 256;

export interface InterfaceDiff {
  /** Declared and identified interfaces first, at most MAX_ROWS, in port order. */
  rows: InterfaceRow[];
  /** Rows left out of `rows` past MAX_ROWS. */
  omitted: number;
  /** Open (or, on UDP, answering) ports no declared service claims. */
  undeclared: InterfaceRow[];
  /** Declared services the inventory scanned and did not find open; UDP ports that stay silent are open|filtered, not missing. */
  missing: Array<{ service: Service; state: PortState | 'not scanned' }>;
}

/** The inventory against the profile: every open port, declared or not, and every declared service not found. */
export function diffInterfaces(profile: DeviceProfile, surface: SurfaceView, debug: DebugServices): InterfaceDiff {
  const identities = new Map(surface.identities.map((i) => [`${i.port}/${i.transport}`, i]));
  const states: Array<{ port: number; transport: Transport; state: PortState }> = [
    ...(surface.tcp?.open ?? []).map((port) => ({ port, transport: 'tcp' as const, state: 'open' as const })),
    ...(surface.udp?.ports ?? []).filter((p) => p.state !== 'closed').map(({ port, state }) => ({ port, transport: 'udp' as const, state })),
  ];
  const rows = states.map(({ port, transport, state }): InterfaceRow => {
    const identity = identities.get(`${port}/${transport}`);
    const declared = declaredAt(profile, port, transport)?.name ?? null;
    return {
      port,
      transport,
      state,
      service: identity?.service ?? null,
      tls: identity?.tls ?? false,
      product: identity?.product ?? null,
      banner: identity?.banner ?? null,
      declared,
      debug: declared === null && identity ? debug.named.get(identity.service) ?? null : null,
    };
  }).sort((a, b) => a.port - b.port || a.transport.localeCompare(b.transport));
  const undeclared = rows.filter((r) => r.declared === null && r.state === 'open');
  const missing = profile.services.flatMap((service) => {
    const state = stateOf(surface, service.port, service.transport);
    return state === 'open' || state === 'open|filtered' ? [] : [{ service, state }];
  });
  const known = (r: InterfaceRow) => r.declared !== null || r.service !== null;
  const kept = new Set([...rows.filter(known), ...rows.filter((r) => !known(r))].slice(0, MAX_ROWS));
  return { rows: rows.filter((r) => kept.has(r)), omitted: rows.length - kept.size, undeclared, missing };
}

function stateOf(surface: SurfaceView, port: number, transport: Transport): PortState | 'not scanned' {
  if (transport === 'udp') return surface.udp?.ports.find((p) => p.port === port)?.state ?? 'not scanned';
  if (!surface.tcp) return 'not scanned';
  if (surface.tcp.open.includes(port)) return 'open';
  if (surface.tcp.filtered.includes(port)) return 'filtered';
  return parsePortRanges(surface.tcp.done).includes(port) ? 'closed' : 'not scanned';
}

/** How a finding names an interface: 2323/tcp telnet "BusyBox login" (known debug or factory service: Telnet, …). */
export function describeInterface(row: InterfaceRow): string {
  const what = row.service ? `${row.tls && !row.service.startsWith('tls') ? 'TLS ' : ''}${row.service}` : 'unidentified';
  const product = row.product ? ` ${row.product}` : '';
  const banner = row.banner && row.banner !== row.product ? ` "${row.banner.slice(0, 40)}"` : '';
  const debug = row.debug ? ` (known debug or factory service: ${row.debug})` : '';
  return `${row.port}/${row.transport} ${what}${product}${banner}${debug}`;
}
