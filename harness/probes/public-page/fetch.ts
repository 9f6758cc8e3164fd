/**
 * Fetches a vendor's public page (VDP, support period, product information). This is the one probe that
 * reaches outside the device's scope, so it does not use ctx.net: it admits only the exact addresses of
 * the profile's publicPages, follows a redirect only onto another listed address, and sends an anonymous
 * GET (no cookies, no credentials, no keep-alive), reading at most `maxBytes` within `timeoutMs`.
 */
import type { IncomingMessage } from 'node:http';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { TOOL_VERSION } from '../../version.js';
import { maskUserinfo } from '../../secrets/address-userinfo.js';
import type { PublicPageAllowList } from './allow-list.js';

export interface PublicPageLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

interface Fetched {
  url: string;
  /** Every address requested, the first included, in order. */
  requested: string[];
  durationMs: number;
}

export type PublicPageObservation =
  | (Fetched & { outcome: 'fetched'; status: number; contentType: string | null; contentEncoding: string | null; body: Buffer })
  | (Fetched & { outcome: 'oversized'; status: number; bytesRead: number })
  | (Fetched & { outcome: 'refused'; reason: string })
  | (Fetched & { outcome: 'error'; reason: string });

const HEADERS = {
  'user-agent': `jcstar/${TOOL_VERSION} (JC-STAR public page check)`,
  accept: 'text/html, text/plain;q=0.9, */*;q=0.1',
  'accept-encoding': 'identity',
};

export async function fetchPublicPage(url: string, allowList: PublicPageAllowList, limits: PublicPageLimits, signal?: AbortSignal): Promise<PublicPageObservation> {
  const started = Date.now();
  const requested: string[] = [];
  const done = <T extends object>(o: T) => ({ url, requested, durationMs: Date.now() - started, ...o });
  let next = allowList.admit(url);
  if (!next) return done({ outcome: 'refused' as const, reason: `${maskUserinfo(url)} is not on the profile's publicPages list; nothing was sent` });
  const deadline = AbortSignal.any([AbortSignal.timeout(limits.timeoutMs), ...(signal ? [signal] : [])]);
  for (let hop = 0; hop <= limits.maxRedirects; hop++) {
    requested.push(next.href);
    let response: IncomingMessage;
    try {
      response = await get(next, deadline);
    } catch (err) {
      return done({ outcome: 'error' as const, reason: deadline.aborted ? `no complete answer within ${limits.timeoutMs} ms` : (err as Error).message });
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location !== undefined) {
      response.destroy();
      const target = safeUrl(location, next);
      const admitted = target ? allowList.admit(target) : null;
      if (!admitted) return done({ outcome: 'refused' as const, reason: `${next.href} redirects (${status}) to ${maskUserinfo(target ?? location)}, which is not on the profile's publicPages list; not followed` });
      next = admitted;
      continue;
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      response.destroy();
      return done({ outcome: 'oversized' as const, status, bytesRead: 0 });
    }
    const read = await readBounded(response, limits.maxBytes, deadline);
    if (read.kind === 'oversized') return done({ outcome: 'oversized' as const, status, bytesRead: read.bytesRead });
    if (read.kind === 'error') return done({ outcome: 'error' as const, reason: deadline.aborted ? `no complete answer within ${limits.timeoutMs} ms` : read.reason });
    const contentType = response.headers['content-type'] ?? null;
    // Identity was asked for; a server may still compress, and the body is kept as it came.
    const contentEncoding = response.headers['content-encoding'] ?? null;
    return done({ outcome: 'fetched' as const, status, contentType, contentEncoding, body: read.body });
  }
  return done({ outcome: 'refused' as const, reason: `more than ${limits.maxRedirects} redirects; not followed further` });
}

function get(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
  const fetcher = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    // agent: false — a fresh connection, no pooled state; no cookie jar exists to send from.
    const request = fetcher(url, { headers: HEADERS, agent: false, signal }, resolve);
    request.on('error', reject);
  });
}

function safeUrl(location: string, base: URL): string | null {
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}

type BoundedRead = { kind: 'body'; body: Buffer } | { kind: 'oversized'; bytesRead: number } | { kind: 'error'; reason: string };

function readBounded(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<BoundedRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (result: BoundedRead) => {
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => {
      response.destroy();
      finish({ kind: 'error', reason: 'aborted' });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        response.destroy();
        finish({ kind: 'oversized', bytesRead: bytes });
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => finish({ kind: 'body', body: Buffer.concat(chunks) }));
    response.on('error', (err) => finish({ kind: 'error', reason: err.message }));
    response.on('close', () => finish({ kind: 'error', reason: 'the connection closed before the body ended' }));
  });
}
