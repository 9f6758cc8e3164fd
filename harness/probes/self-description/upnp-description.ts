import type { DeviceStatement } from '../../inventory/types.js';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError } from '../../net/errors.js';
import { describeRequest, describeResponse, httpExchange } from '../http/exchange.js';
import { STATEMENT_CHARS } from './identity-statements.js';

/**
 * A UPnP device description (UPnP Device Architecture 2.0 §2.3): the XML an SSDP LOCATION points to,
 * whose root <device> names the maker and the model. Read as text with bounded patterns, not parsed:
 * only a few leaf elements matter, and a hostile document must cost no more than one linear scan.
 */

export interface DeviceUrl {
  host: string;
  port: number;
  tls: boolean;
  /** Path and query, as sent on the request line. */
  path: string;
  href: string;
}

/** The URL as something to fetch, only when it points at the device itself (an SSDP LOCATION may name any host). */
export function deviceUrl(location: string, address: string): DeviceUrl | null {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host !== address) return null;
  const tls = url.protocol === 'https:';
  return { host, port: url.port ? Number(url.port) : tls ? 443 : 80, tls, path: `${url.pathname}${url.search}`, href: url.href };
}

/** Leaf elements of the root device, and what each states. serialNumber and UDN identify a unit, not a model: never read. */
const ELEMENTS: ReadonlyArray<{ name: string; field: DeviceStatement['field'] }> = [
  { name: 'friendlyName', field: 'text' },
  { name: 'manufacturer', field: 'vendor' },
  { name: 'modelName', field: 'model' },
  { name: 'modelNumber', field: 'model' },
  { name: 'modelDescription', field: 'text' },
  // Not in the UPnP schema, but vendors add them beside the standard elements.
  { name: 'softwareVersion', field: 'firmware' },
  { name: 'firmwareVersion', field: 'firmware' },
];

/** A modelNumber such as "1.0" is a revision, not a designation a user could tell models by. */
const VERSION_LIKE = /^v?\d+(\.\d+)*$/i;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,5});/gi, (whole, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[lower] ?? whole;
  });
}

/** The first occurrence of each element (the root device comes before its embedded devices). */
export function descriptionStatements(xml: string, source: string, at: Pick<DeviceStatement, 'port' | 'transport'>): DeviceStatement[] {
  const statements: DeviceStatement[] = [];
  for (const { name, field } of ELEMENTS) {
    const m = new RegExp(`<(?:[A-Za-z][\\w.-]*:)?${name}(?:\\s[^<>]*)?>([^<]{1,${STATEMENT_CHARS * 4}})</`, 'i').exec(xml);
    const value = m ? decode(m[1] ?? '').replace(/\s+/g, ' ').trim().slice(0, STATEMENT_CHARS) : '';
    if (value === '') continue;
    const stated = name === 'modelNumber' && VERSION_LIKE.test(value) ? 'text' : field;
    statements.push({ source: `${source} ${name}`, ...at, field: stated, value });
  }
  return statements;
}

export interface UpnpDescriptionRead {
  outcome: 'read' | 'not-a-description' | 'no-answer';
  url: string;
  status: number | null;
  statements: DeviceStatement[];
  detail: string;
  sent: string;
  received: string;
}

export async function readUpnpDescription(net: GuardedNetwork, url: DeviceUrl, options: { signal: AbortSignal; timeoutMs: number }): Promise<UpnpDescriptionRead> {
  const spec = { host: url.host, port: url.port, tls: url.tls, method: 'GET', path: url.path, headers: { Accept: 'text/xml, application/xml' }, signal: options.signal, timeoutMs: options.timeoutMs };
  const sent = describeRequest(spec);
  try {
    const res = await httpExchange(net, spec);
    const xml = res.body.toString('utf8');
    const source = `upnp description ${url.port}/tcp ${url.path}`;
    const statements = res.status === 200 ? descriptionStatements(xml, source, { port: url.port, transport: 'tcp' }) : [];
    const isDescription = res.status === 200 && /<(?:[\w.-]+:)?device[\s>]/i.test(xml);
    return {
      outcome: isDescription ? 'read' : 'not-a-description',
      url: url.href,
      status: res.status,
      statements,
      detail: isDescription ? `HTTP ${res.status}, ${statements.length} element(s) naming the device` : `HTTP ${res.status}, no UPnP <device> in the body`,
      sent,
      received: describeResponse(res, xml),
    };
  } catch (err) {
    const detail = err instanceof NetError ? err.message : String(err);
    return { outcome: 'no-answer', url: url.href, status: null, statements: [], detail, sent, received: detail };
  }
}
