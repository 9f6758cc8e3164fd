import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { NetError } from '../../net/errors.js';

export interface BoundedDownload {
  stream: Duplex;
  host: string;
  port: number;
  path: string;
  /** Body bytes kept at most; past them the connection is closed. */
  limitBytes: number;
  /** Longest silence from the server, and the longest the whole download may take. */
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  signal: AbortSignal;
}

export interface DownloadResult {
  status: number;
  statusMessage: string;
  httpVersion: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sha256: string;
  /** The body ended (not cut at the bound, a stall or a reset). */
  complete: boolean;
  /** Why it is not complete. */
  cut: string | null;
}

/**
 * GET over a connected stream, hashing the body as it arrives and keeping it up to `limitBytes`; a body
 * over the bound, a server that stalls or runs out the total time, is cut and says so. Rejects with
 * NetError when no response head came.
 */
export function downloadBounded(d: BoundedDownload): Promise<DownloadResult> {
  return new Promise<DownloadResult>((resolve, reject) => {
    const req = request({ host: d.host, port: d.port, path: d.path, method: 'GET', headers: { 'User-Agent': 'jcstar', Accept: '*/*', Connection: 'close' }, createConnection: () => d.stream, signal: d.signal });
    let settled = false;
    let idle: NodeJS.Timeout;
    const total = setTimeout(() => stop(`the download took longer than ${d.totalTimeoutMs} ms`), d.totalTimeoutMs);
    let finish: ((cut: string | null) => void) | null = null;
    const stop = (why: string) => {
      if (finish) return finish(why);
      req.destroy(new NetError('timeout', why));
    };
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => stop(`the server sent nothing for ${d.idleTimeoutMs} ms`), d.idleTimeoutMs);
    };
    const done = () => {
      settled = true;
      clearTimeout(idle);
      clearTimeout(total);
    };
    touch();
    req.on('error', (err) => {
      if (finish) return finish(err.message);
      if (settled) return;
      done();
      reject(err);
    });
    req.on('response', (res) => {
      touch();
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      finish = (cut) => {
        if (settled) return;
        done();
        res.destroy();
        d.stream.destroy();
        resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', httpVersion: res.httpVersion, headers: res.headers, body: Buffer.concat(chunks), sha256: hash.digest('hex'), complete: cut === null, cut });
      };
      res.on('data', (chunk: Buffer) => {
        touch();
        const kept = chunk.subarray(0, d.limitBytes - size);
        hash.update(kept);
        chunks.push(kept);
        size += kept.length;
        if (kept.length < chunk.length) finish!(`the body is longer than ${d.limitBytes} bytes; jcstar stopped reading there`);
      });
      res.on('end', () => finish!(res.complete ? null : 'the connection closed before the body ended'));
      res.on('aborted', () => finish!('the connection closed before the body ended'));
      res.on('error', (err) => finish!(err.message));
      res.on('close', () => finish!(res.complete ? null : 'the connection closed before the body ended'));
    });
    req.end();
  });
}
