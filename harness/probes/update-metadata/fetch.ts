import type { TLSSocket } from 'node:tls';
import { classifyNetError } from '../../net/errors.js';
import { trustAnchorsOf } from '../../checks/encryption/trust-anchors.js';
import type { CheckContext } from '../../suite/context.js';
import { originOf } from '../http/exchange.js';
import { probeTls } from '../tls/probe.js';
import { downloadBounded, type DownloadResult } from './bounded-download.js';
import type { PublishedUpdateObservation } from './observation.js';

/** Images can be large; past this the body is cut, and nothing is verified. */
export const PUBLISHED_UPDATE_LIMIT = 64 * 1024 * 1024;
/** The whole download may take this long (64 MiB at about 0.5 MB/s). */
export const PUBLISHED_UPDATE_TIMEOUT_MS = 120_000;

export interface PublishedUpdateFetch {
  limitBytes?: number;
  totalTimeoutMs?: number;
}

/** A URL's hostname is an IP literal when bracketed (IPv6) or dotted-quad: WHATWG URL parsing writes every IPv4 form so. */
function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname);
}

function toAddress(ctx: CheckContext, hostname: string): string {
  // A name other than the target's is not resolved: the scope guard admits addresses only.
  if (!isIpLiteral(hostname) && hostname === ctx.profile.target.host) return ctx.profile.target.address;
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Fetches the update the profile says the device or vendor publishes, through the scope guard: over
 * https, first the TLS probe S1.1-12 grades a service with, then a GET whose body is hashed as it arrives
 * and kept up to the bound. Records the TLS observation and the fetch as evidence (never the body) and
 * returns the facts; the caller verifies the signature and grades the channel.
 */
export async function fetchPublishedUpdate(ctx: CheckContext, url: string, options: PublishedUpdateFetch = {}): Promise<PublishedUpdateObservation> {
  const at = new Date().toISOString();
  const parsed = URL.parse(url);
  const scheme = parsed?.protocol === 'https:' ? 'https' : 'http';
  const port = parsed ? Number(parsed.port || (scheme === 'https' ? 443 : 80)) : 0;
  const address = parsed ? toAddress(ctx, parsed.hostname) : null;
  const base: PublishedUpdateObservation = { url, at, scheme, address, port, tls: null, negotiated: null, outcome: 'refused', reason: null, status: null, size: 0, announcedSize: null, sha256: null, body: null, evidence: [] };
  const refuse = (reason: string): PublishedUpdateObservation => {
    const seq = ctx.evidence.record({ kind: 'note', summary: `Published update ${url} not fetched: ${reason}`, target: ctx.target, data: { url, outcome: 'refused', reason } }).seq;
    return { ...base, reason, evidence: [seq] };
  };
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return refuse('jcstar fetches published updates over http or https only');
  if (!ctx.net.guard.allows(address!)) return refuse(`${parsed.hostname} is outside the profile's scope (${ctx.net.guard.scope.join(', ')}); nothing was sent`);
  const host = address!;
  const path = `${parsed.pathname}${parsed.search}`;
  const timeoutMs = ctx.policy.budgets.replyTimeoutMs;
  const evidence: number[] = [];

  let tls: PublishedUpdateObservation['tls'] = null;
  if (scheme === 'https') {
    const service = ctx.profile.services.find((s) => s.protocol === 'https' && s.port === port && host === ctx.profile.target.address);
    const transcript: string[] = [];
    tls = await probeTls(ctx.net, {
      host,
      port,
      serverName: isIpLiteral(parsed.hostname) ? null : parsed.hostname,
      transport: 'implicit',
      timeoutMs,
      signal: ctx.signal,
      now: new Date(),
      trustAnchors: service ? trustAnchorsOf(service) : [],
      onAttempt: (line) => transcript.push(line),
    });
    const offered = tls.outcome === 'observed' ? tls.versions.filter((v) => v.offered).map((v) => v.version).join(', ') || 'no version' : `${tls.failure}: ${tls.detail}`;
    evidence.push(
      ctx.evidence.record({
        kind: 'observation',
        summary: `TLS of the published update's server ${host}:${port}: ${offered}`,
        target: ctx.target,
        data: { url, ...tls },
        artifacts: [{ name: `published-update-tls-${port}-hellos.txt`, bytes: `${transcript.join('\n')}\n`, mediaType: 'text/plain' }],
      }).seq,
    );
  }

  const sent = `GET ${path} HTTP/1.1\r\nHost: ${parsed.host}\r\nUser-Agent: jcstar\r\nAccept: */*\r\n`;
  const finish = (fields: Partial<PublishedUpdateObservation>, received: string | null): PublishedUpdateObservation => {
    const observed: PublishedUpdateObservation = { ...base, tls, evidence, ...fields };
    const what = observed.outcome === 'fetched' ? `HTTP ${observed.status}, ${observed.size} bytes, sha256 ${observed.sha256}` : observed.reason;
    evidence.push(
      ctx.evidence.record({
        kind: 'exchange',
        summary: `Published update GET ${originOf({ host, port, tls: scheme === 'https' })}${path} → ${what}`,
        target: ctx.target,
        sent,
        received,
        data: { url, outcome: observed.outcome, reason: observed.reason, status: observed.status, size: observed.size, announcedSize: observed.announcedSize, sha256: observed.sha256, negotiated: observed.negotiated },
      }).seq,
    );
    return observed;
  };

  let negotiated: PublishedUpdateObservation['negotiated'] = null;
  let result: DownloadResult;
  try {
    const stream = await ctx.net.connectStream(host, port, { tls: scheme === 'https', ...(!isIpLiteral(parsed.hostname) && scheme === 'https' ? { serverName: parsed.hostname } : {}), signal: ctx.signal, timeoutMs });
    if (scheme === 'https') stream.once('secureConnect', () => (negotiated = { protocol: (stream as TLSSocket).getProtocol(), cipher: (stream as TLSSocket).getCipher()?.name ?? null }));
    result = await downloadBounded({ stream, host, port, path, limitBytes: options.limitBytes ?? PUBLISHED_UPDATE_LIMIT, idleTimeoutMs: timeoutMs, totalTimeoutMs: options.totalTimeoutMs ?? PUBLISHED_UPDATE_TIMEOUT_MS, signal: ctx.signal });
  } catch (err) {
    return finish({ outcome: 'error', reason: classifyNetError(err).message, negotiated }, null);
  }
  const length = Number(result.headers['content-length']);
  const head = [`HTTP/${result.httpVersion} ${result.status} ${result.statusMessage}`, ...Object.entries(result.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)].join('\r\n');
  const received = `${head}\r\n\r\n(${result.body.length} body bytes, sha256 ${result.sha256}${result.cut ? `; ${result.cut}` : ''})`;
  const fields = { status: result.status, size: result.body.length, announcedSize: Number.isFinite(length) ? length : null, sha256: result.sha256, negotiated };
  if (result.status < 200 || result.status >= 300) return finish({ ...fields, outcome: 'status', reason: `the server answered ${result.status}` }, received);
  if (!result.complete) {
    const over = result.cut?.startsWith('the body is longer');
    return finish({ ...fields, outcome: over ? 'over-bound' : 'error', reason: result.cut }, received);
  }
  return finish({ ...fields, outcome: 'fetched', body: result.body }, received);
}
