import type { DeviceStatement, ServiceIdentity } from '../../inventory/types.js';
import { readHttpPage } from '../../probes/self-description/http-page.js';
import { statementsFrom } from '../../probes/self-description/identity-statements.js';
import { readSnmpSystem, type SnmpReadCredential } from '../../probes/self-description/snmp-system.js';
import { searchSsdp } from '../../probes/self-description/ssdp-search.js';
import { deviceUrl, readUpnpDescription } from '../../probes/self-description/upnp-description.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { ModelReading, SeenStatement } from './judge.js';

/** Web UIs and UPnP descriptions read at most: a device with more ports than that shows its model on one of the first. */
const MAX_PAGES = 8;
const MAX_DESCRIPTIONS = 4;

/**
 * Everything the device says about itself without a login, each reading recorded as evidence: what
 * identification found on every open port, the first page of each web UI, the UPnP device description
 * on the device, and SNMP's system group with the declared credential.
 */
export async function readSelfDescription(ctx: CheckContext): Promise<Omit<ModelReading, 'firmware'>> {
  const seen: SeenStatement[] = [];
  const sources: string[] = [];
  const unanswered: string[] = [];
  const keep = (statements: DeviceStatement[], evidenceSeq: number) => seen.push(...statements.map((s) => ({ ...s, evidenceSeq })));

  const identities = ctx.surface.identities;
  if (ctx.surface.tcp === null && ctx.surface.udp === null) {
    ctx.evidence.record({ kind: 'note', summary: 'the inventory did not finish in this run: only the declared services are read' });
  }
  if (identities.length > 0) {
    const statements = statementsFrom(identities);
    sources.push(`identification of ${identities.length} open port(s)`);
    const seq = ctx.evidence.record({
      kind: 'observation',
      summary: `identification read ${statements.length} statement(s) the device makes about itself on ${identities.length} open port(s)`,
      data: { statements },
    }).seq;
    keep(statements, seq);
  }

  // The three kinds of reading are independent: in parallel, so that a silent device costs one timeout chain, not all of them.
  const readPage = async (page: { port: number; tls: boolean }) => {
    const label = `${page.tls ? 'https' : 'http'} ${page.port}/tcp /`;
    sources.push(label);
    const read = await readHttpPage(ctx.net, { host: ctx.profile.target.address, port: page.port, tls: page.tls }, timing(ctx));
    const seq = ctx.evidence.record({
      kind: 'exchange',
      summary: `web UI ${label}: ${read.exchanges.map((e) => e.summary).join(', ')}`,
      target: { host: ctx.profile.target.address, port: page.port, protocol: page.tls ? 'https' : 'http' },
      sent: read.exchanges.map((e) => e.sent).join('\n\n'),
      received: read.exchanges.map((e) => e.received).join('\n\n'),
      data: { outcome: read.outcome, url: read.url, status: read.status, statements: read.statements.map(shortened) },
    }).seq;
    if (read.outcome !== 'read') unanswered.push(`${label}: ${read.detail}`);
    keep(read.statements, seq);
  };
  const readDescriptions = async () => {
    for (const location of (await descriptionLocations(ctx, identities, { sources, unanswered, keep })).slice(0, MAX_DESCRIPTIONS)) {
      if (ctx.signal.aborted) break;
      const url = deviceUrl(location, ctx.profile.target.address);
      if (!url) {
        ctx.evidence.record({ kind: 'note', summary: `UPnP description ${location} is not on the device (${ctx.profile.target.address}): not fetched` });
        continue;
      }
      sources.push(`upnp description ${url.href}`);
      const read = await readUpnpDescription(ctx.net, url, timing(ctx));
      const seq = ctx.evidence.record({
        kind: 'exchange',
        summary: `UPnP device description ${url.href} → ${read.detail}`,
        target: { host: url.host, port: url.port, protocol: url.tls ? 'https' : 'http' },
        sent: read.sent,
        received: read.received,
        data: { outcome: read.outcome, status: read.status, statements: read.statements },
      }).seq;
      if (read.outcome !== 'read') unanswered.push(`upnp description ${url.href}: ${read.detail}`);
      keep(read.statements, seq);
    }
  };
  const readSnmp = async ({ service, credential }: { service: Service; credential: SnmpReadCredential }) => {
    const label = `snmp ${service.port}/udp`;
    sources.push(label);
    const read = await readSnmpSystem(ctx.net, { host: ctx.profile.target.address, port: service.port, ...timing(ctx) }, credential);
    const seq = ctx.evidence.record({
      kind: 'exchange',
      summary: `SNMP system group on ${service.name} with the declared credential "${service.credential}": ${read.exchanges.map((e) => e.summary).join(', ')}`,
      target: { host: ctx.profile.target.address, port: service.port, protocol: 'snmp' },
      sent: read.exchanges.map((e) => e.sent).join('\n'),
      received: read.exchanges.map((e) => e.received).join('\n'),
      data: { outcome: read.outcome, statements: read.statements },
    }).seq;
    if (read.outcome !== 'read') unanswered.push(`${label}: ${read.detail}`);
    keep(read.statements, seq);
  };
  await Promise.all([...webUis(ctx, identities).slice(0, MAX_PAGES).map(readPage), readDescriptions(), ...snmpReads(ctx).map(readSnmp)]);

  return { statements: seen, sources, unanswered };
}

function timing(ctx: CheckContext): { signal: AbortSignal; timeoutMs: number } {
  return { signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs };
}

/** A page's text is kept whole for matching, but evidence needs only its start. */
function shortened(statement: DeviceStatement): DeviceStatement {
  return statement.value.length > 300 ? { ...statement, value: `${statement.value.slice(0, 299)}…` } : statement;
}

/** Declared HTTP(S) services first, then web servers identification found on other ports. */
function webUis(ctx: CheckContext, identities: readonly ServiceIdentity[]): Array<{ port: number; tls: boolean }> {
  const pages = new Map<number, boolean>();
  for (const s of ctx.profile.services) {
    if ((s.protocol === 'http' || s.protocol === 'https') && s.transport === 'tcp') pages.set(s.port, s.protocol === 'https');
  }
  for (const i of identities) {
    if (i.service === 'http' && i.transport === 'tcp' && !pages.has(i.port)) pages.set(i.port, i.tls);
  }
  return [...pages].map(([port, tls]) => ({ port, tls }));
}

const LOCATION_KEY = /^(ssdp|upnp)\.location$/i;

interface Reading {
  sources: string[];
  unanswered: string[];
  keep(statements: DeviceStatement[], evidenceSeq: number): void;
}

/**
 * Device description URLs: the LOCATION identification read, else a unicast M-SEARCH to each declared
 * UPnP service and to SSDP ports identification found without a LOCATION.
 */
async function descriptionLocations(ctx: CheckContext, identities: readonly ServiceIdentity[], reading: Reading): Promise<string[]> {
  const { sources, unanswered } = reading;
  const locations = new Set<string>();
  const searched = new Set<number>();
  for (const i of identities) {
    const location = Object.entries(i.details).find(([key]) => LOCATION_KEY.test(key))?.[1];
    if (location) locations.add(location);
    else if ((i.service === 'ssdp' || i.service === 'upnp') && i.transport === 'udp') searched.add(i.port);
  }
  if (locations.size === 0) {
    for (const s of ctx.profile.services) if (s.protocol === 'upnp' && s.transport === 'udp') searched.add(s.port);
  }
  for (const port of searched) {
    if (ctx.signal.aborted) break;
    const label = `ssdp ${port}/udp M-SEARCH`;
    sources.push(label);
    const read = await searchSsdp(ctx.net, { host: ctx.profile.target.address, port, ...timing(ctx) });
    const seq = ctx.evidence.record({
      kind: 'exchange',
      summary: `SSDP M-SEARCH to ${port}/udp → ${read.detail}`,
      target: { host: ctx.profile.target.address, port, protocol: 'upnp' },
      sent: read.sent,
      received: read.received,
      data: { outcome: read.outcome, locations: read.locations, servers: read.servers },
    }).seq;
    if (read.outcome !== 'answered') unanswered.push(`${label}: ${read.detail}`);
    // SERVER is "OS/version UPnP/1.0 product/version": the product is often the model.
    reading.keep(read.servers.map((value) => ({ source: `ssdp ${port}/udp SERVER`, port, transport: 'udp', field: 'text', value })), seq);
    for (const l of read.locations) locations.add(l);
  }
  return [...locations];
}

/** SNMP services the profile gives a credential for: the system group is read with nothing else. */
function snmpReads(ctx: CheckContext): Array<{ service: Service; credential: SnmpReadCredential }> {
  return ctx.profile.services.flatMap((service): Array<{ service: Service; credential: SnmpReadCredential }> => {
    if (service.protocol !== 'snmp' || service.credential === undefined) return [];
    const credential = ctx.profile.credentials[service.credential];
    if (service.auth === 'community' && credential?.password) return [{ service, credential: { community: credential.password } }];
    if (service.auth === 'usm' && credential?.snmpv3) return [{ service, credential: { user: credential.snmpv3 } }];
    return [];
  });
}
