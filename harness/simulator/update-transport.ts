import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * How the simulated device's update client reaches its update server: every connection leaves from the
 * device's own address (so the server sees the device, as on a real network), every request is bounded in
 * time and size, and the TLS policy is the build's: the secure build speaks only HTTPS to a server that
 * chains to the vendor's update CA; the insecure one also speaks plain HTTP and checks no certificate.
 */

export interface UpdateChannel {
  /** The device's address; outgoing connections are bound to it. */
  localAddress: string;
  /** The CA the server's certificate must chain to; null: any certificate, and plain http too. */
  ca: string | null;
  signal: AbortSignal;
}

/** A response body as far as it came; `complete` is false when the connection broke before its end. */
export interface UpdateResponse {
  status: number;
  body: Buffer;
  complete: boolean;
  /** Content-Length as the server announced it. */
  announcedLength: number | null;
}

export type UpdateExchange = { ok: true; response: UpdateResponse } | { ok: false; reason: string };

/** Nothing the update client asks for takes longer, so a silent server never holds the client. */
const REQUEST_TIMEOUT_MS = 5000;

export interface UpdateRequest {
  method: 'GET' | 'POST';
  /** JSON body of a POST. */
  json?: unknown;
  /** A larger body is cut off and the exchange fails. */
  maxBytes: number;
}

/** One request; never throws: a refused channel, a failed handshake or a timeout is a reason. */
export function updateRequest(url: URL, request: UpdateRequest, channel: UpdateChannel): Promise<UpdateExchange> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return Promise.resolve({ ok: false, reason: `unsupported link scheme ${url.protocol} (${url.href})` });
  if (url.protocol === 'http:' && channel.ca !== null) return Promise.resolve({ ok: false, reason: `plain-http link refused (${url.href}): updates come over HTTPS only` });
  const body = request.json === undefined ? undefined : Buffer.from(JSON.stringify(request.json));
  const options: RequestOptions = {
    method: request.method,
    localAddress: channel.localAddress,
    agent: false,
    timeout: REQUEST_TIMEOUT_MS,
    signal: channel.signal,
    headers: {
      Accept: 'application/json, application/octet-stream',
      ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}),
    },
  };
  const tls = channel.ca === null ? { rejectUnauthorized: false } : { rejectUnauthorized: true, ca: channel.ca, minVersion: 'TLSv1.2' as const };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: UpdateExchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(result);
    };
    const deadline = setTimeout(() => settle({ ok: false, reason: `no complete answer from ${url.origin} within ${REQUEST_TIMEOUT_MS} ms` }), REQUEST_TIMEOUT_MS);
    const onResponse = (res: IncomingMessage): void => {
      const announced = res.headers['content-length'] === undefined ? null : Number(res.headers['content-length']);
      const chunks: Buffer[] = [];
      let size = 0;
      const partial = (): UpdateExchange => ({ ok: true, response: { status: res.statusCode ?? 0, body: Buffer.concat(chunks), complete: false, announcedLength: announced } });
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxBytes) {
          settle({ ok: false, reason: `answer from ${url.origin} larger than ${request.maxBytes} bytes` });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => settle({ ok: true, response: { status: res.statusCode ?? 0, body: Buffer.concat(chunks), complete: true, announcedLength: announced } }));
      res.on('error', () => settle(partial()));
      res.on('close', () => settle(partial()));
    };
    const req = url.protocol === 'https:' ? httpsRequest(url, { ...options, ...tls }, onResponse) : httpRequest(url, options, onResponse);
    req.on('timeout', () => settle({ ok: false, reason: `no answer from ${url.origin} within ${REQUEST_TIMEOUT_MS} ms` }));
    req.on('error', (err: NodeJS.ErrnoException) => settle({ ok: false, reason: `${url.origin}: ${err.code ?? err.message}${err.code && err.message && !err.message.includes(err.code) ? ` (${err.message})` : ''}` }));
    req.end(body);
  });
}
