import type { DeviceStatement } from '../../inventory/types.js';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError } from '../../net/errors.js';
import { visibleText } from '../http/csrf.js';
import { describeRequest, describeResponse, httpExchange, originOf } from '../http/exchange.js';
import { STATEMENT_CHARS } from './identity-statements.js';

/**
 * The page a user meets first on a web UI: `/`, following redirects that stay on the device, read
 * without credentials. Its title and visible text are what a user can read there (S1.1-10 評価項目2).
 */

/** Redirects followed at most: enough for "/" → "/index.html" → "/login". */
const MAX_REDIRECTS = 2;
/** Visible text kept from one page: a model number sits near the top, in a header or a footer. */
export const PAGE_TEXT_CHARS = 8192;

export interface HttpPageRead {
  outcome: 'read' | 'no-answer';
  /** The URL of the last page fetched. */
  url: string;
  status: number | null;
  statements: DeviceStatement[];
  exchanges: Array<{ sent: string; received: string; summary: string }>;
  detail: string;
}

function titleOf(html: string): string | null {
  const m = /<title(?:\s[^<>]*)?>([^<]{1,1024})<\/title/i.exec(html);
  const title = m ? visibleText(m[1] ?? '').trim() : '';
  return title === '' ? null : title.slice(0, STATEMENT_CHARS);
}

/** Where a redirect goes, when it stays on the same host (any port or scheme there); null otherwise. */
function onDevice(location: string, from: { host: string; port: number; tls: boolean }): { port: number; tls: boolean; path: string } | null {
  let url: URL;
  try {
    url = new URL(location, `${originOf(from)}/`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname.replace(/^\[(.*)\]$/, '$1') !== from.host) return null;
  const tls = url.protocol === 'https:';
  return { port: url.port ? Number(url.port) : tls ? 443 : 80, tls, path: `${url.pathname}${url.search}` };
}

export async function readHttpPage(
  net: GuardedNetwork,
  start: { host: string; port: number; tls: boolean; path?: string },
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<HttpPageRead> {
  const exchanges: HttpPageRead['exchanges'] = [];
  let at = { port: start.port, tls: start.tls, path: start.path ?? '/' };
  for (let hop = 0; ; hop++) {
    const spec = { host: start.host, ...at, method: 'GET', headers: { Accept: 'text/html' }, signal: options.signal, timeoutMs: options.timeoutMs };
    const url = `${originOf(spec)}${at.path}`;
    const sent = describeRequest(spec);
    let res;
    try {
      res = await httpExchange(net, spec);
    } catch (err) {
      const detail = err instanceof NetError ? err.message : String(err);
      exchanges.push({ sent, received: detail, summary: `GET ${url} → ${detail}` });
      return { outcome: 'no-answer', url, status: null, statements: [], exchanges, detail };
    }
    const html = res.body.toString('utf8');
    exchanges.push({ sent, received: describeResponse(res, html), summary: `GET ${url} → HTTP ${res.status}` });
    const location = typeof res.headers.location === 'string' ? res.headers.location : null;
    const next = res.status >= 300 && res.status < 400 && location ? onDevice(location, { host: start.host, ...at }) : null;
    if (next && hop < MAX_REDIRECTS) {
      at = next;
      continue;
    }
    const where = `${at.tls ? 'https' : 'http'} ${at.port}/tcp ${at.path}`;
    const here = { port: at.port, transport: 'tcp' as const };
    const statements: DeviceStatement[] = [];
    const title = titleOf(html);
    if (title) statements.push({ source: `${where} <title>`, ...here, field: 'text', value: title });
    const text = visibleText(html).slice(0, PAGE_TEXT_CHARS);
    if (text !== '') statements.push({ source: `${where} page text`, ...here, field: 'text', value: text });
    const server = res.headers.server;
    if (typeof server === 'string' && server.trim() !== '') statements.push({ source: `${where} Server header`, ...here, field: 'text', value: server.trim().slice(0, STATEMENT_CHARS) });
    return { outcome: 'read', url, status: res.status, statements, exchanges, detail: `HTTP ${res.status}${title ? `, title "${title}"` : ''}` };
  }
}
