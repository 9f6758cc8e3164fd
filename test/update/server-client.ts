import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ImageVariant, ServeMode, UpdateAttempt } from '../../harness/update/types.js';

/** In-process clients of the rogue update server, for its tests: one request each, no connection reuse. */

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ClientOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The address the client connects from, to play a device inside or outside the scope. */
  localAddress?: string;
  /** PEM the client trusts; a client without one does not verify the server. */
  ca?: string;
}

/** GETs (or sends) one request; rejects with the transport's error (TLS refusal, reset, cut body). */
export function fetchUrl(url: string, options: ClientOptions = {}): Promise<Answer> {
  const target = new URL(url);
  const tls = target.protocol === 'https:';
  const send = tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: options.method ?? 'GET',
      headers: options.headers,
      localAddress: options.localAddress,
      agent: false,
      timeout: 10_000,
      ...(tls ? { ca: options.ca, rejectUnauthorized: options.ca !== undefined } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.once('error', reject);
      res.once('aborted', () => reject(Object.assign(new Error(`body cut after ${Buffer.concat(chunks).length} bytes`), { received: Buffer.concat(chunks) })));
    });
    req.once('timeout', () => req.destroy(new Error('client timeout')));
    req.once('error', reject);
    req.end(options.body);
  });
}

export async function fetchJson(url: string, options: ClientOptions = {}): Promise<{ status: number; json: unknown }> {
  const answer = await fetchUrl(url, options);
  return { status: answer.status, json: answer.body.length > 0 ? JSON.parse(answer.body.toString('utf8')) : undefined };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An image variant with made-up content of `size` bytes. */
export function testVariant(attempt: UpdateAttempt, size = 300_000, version = '2.0.0'): ImageVariant {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return { attempt, format: 'swu', bytes, sha256: sha256(bytes), version, description: `test image for ${attempt}` };
}

export const GENUINE: ServeMode = { channel: 'genuine-tls', cutAtHalf: false, plainDownloadLink: false };

/** The server logs a request once its response is over, which can be a moment after the client read it. */
export async function recorded<T>(records: () => readonly T[], count: number): Promise<readonly T[]> {
  for (let i = 0; i < 100 && records().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return records();
}
