import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError, type NetFailure } from '../../net/errors.js';
import { elapsed } from '../auth-observation.js';
import { httpExchange, type HttpResponse } from './exchange.js';

export interface HstsProbe {
  /** IP literal to connect to. */
  host: string;
  port: number;
  /** Path and query, as sent on the request line. */
  path: string;
  /** Host name for SNI and the Host header; without it the IP is the Host and no SNI is sent. */
  serverName?: string;
  timeoutMs: number;
  signal: AbortSignal;
}

interface Transcript {
  /** The request as sent. */
  sent: string;
  /** Excerpt of the response: its status line and Strict-Transport-Security lines (no cookie can leak). */
  received: string;
  latencyMs: number;
}

/**
 * The HSTS policy (RFC 6797) one HTTPS response declares. `maxAgeSeconds`, `includeSubDomains` and
 * `preload` are what a browser would take from the header: null and false when it is absent or, being
 * malformed, must be ignored (RFC 6797 §6.1); `header` then tells which.
 */
export type HstsObservation =
  | ({
      outcome: 'observed';
      status: number;
      /** The first Strict-Transport-Security header, verbatim; a browser ignores any later one (§8.1). */
      header: string | null;
      maxAgeSeconds: number | null;
      includeSubDomains: boolean;
      preload: boolean;
    } & Transcript)
  | ({ outcome: 'error'; failure: NetFailure; detail: string } & Transcript);

const HEADER = 'strict-transport-security';
/** RFC 7230 token characters. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
/** One directive (or an empty one) and its ';'; sticky, so the whole value must be made of these. */
const DIRECTIVE = new RegExp(`[ \\t]*(?:(${TOKEN})[ \\t]*(?:=[ \\t]*(${TOKEN}|${QUOTED}))?)?[ \\t]*(?:;|$)`, 'y');

interface HstsPolicy {
  maxAgeSeconds: number;
  includeSubDomains: boolean;
  preload: boolean;
}

/** RFC 6797 §6.1: a valid header has max-age as delta-seconds, and no directive twice; else it is ignored. */
export function parseHstsHeader(value: string): HstsPolicy | null {
  const directives = new Map<string, string | null>();
  DIRECTIVE.lastIndex = 0;
  while (DIRECTIVE.lastIndex < value.length) {
    const at = DIRECTIVE.lastIndex;
    const match = DIRECTIVE.exec(value);
    // A zero-length match cannot happen (';' is consumed, '$' ends the loop); refusing one keeps the loop finite regardless.
    if (!match || DIRECTIVE.lastIndex === at) return null;
    const [, name, raw] = match;
    if (name === undefined) continue;
    const key = name.toLowerCase();
    if (directives.has(key)) return null;
    directives.set(key, raw === undefined ? null : raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  const maxAge = directives.get('max-age');
  if (maxAge === undefined || maxAge === null || !/^\d+$/.test(maxAge)) return null;
  return { maxAgeSeconds: Number(maxAge), includeSubDomains: directives.has('includesubdomains'), preload: directives.has('preload') };
}

function hostHeader(probe: HstsProbe): string {
  const name = probe.serverName ?? (probe.host.includes(':') ? `[${probe.host}]` : probe.host);
  return probe.port === 443 ? name : `${name}:${probe.port}`;
}

/** The status line and the STS header lines, in the order received. */
function excerpt(res: HttpResponse): string {
  const lines = [`HTTP/${res.httpVersion} ${res.status} ${res.statusMessage}`];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    if (res.rawHeaders[i]!.toLowerCase() === HEADER) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
  }
  return lines.join('\r\n');
}

/**
 * One GET over TLS, reading only the response head: the Strict-Transport-Security header a device sends.
 * The certificate is not checked here (S1.1-12 grades it elsewhere), and redirects are not followed:
 * the header counts on whatever response carries it. Never rejects; failures are observations.
 */
export async function probeHsts(net: GuardedNetwork, probe: HstsProbe): Promise<HstsObservation> {
  const started = process.hrtime.bigint();
  const headers = { Host: hostHeader(probe), 'User-Agent': 'jcstar', Connection: 'close' };
  const sent = [`GET ${probe.path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  try {
    const res = await httpExchange(net, {
      host: probe.host,
      port: probe.port,
      tls: true,
      serverName: probe.serverName,
      method: 'GET',
      path: probe.path,
      headers: { Host: headers.Host },
      headOnly: true,
      signal: probe.signal,
      timeoutMs: probe.timeoutMs,
    });
    const first = res.rawHeaders.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === HEADER);
    const header = first === -1 ? null : res.rawHeaders[first + 1]!;
    const policy = header === null ? null : parseHstsHeader(header);
    return {
      outcome: 'observed',
      status: res.status,
      header,
      maxAgeSeconds: policy?.maxAgeSeconds ?? null,
      includeSubDomains: policy?.includeSubDomains ?? false,
      preload: policy?.preload ?? false,
      sent,
      received: excerpt(res),
      latencyMs: res.latencyMs,
    };
  } catch (err) {
    const e = classifyNetError(err);
    return { outcome: 'error', failure: e.failure, detail: e.message, sent, received: '', latencyMs: elapsed(started) };
  }
}
