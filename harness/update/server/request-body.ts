import type { IncomingMessage } from 'node:http';

/** The largest request body the update server reads: hawkBit feedback and configData are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;
/** A body must arrive within this time, however slowly it trickles in. */
export const BODY_DEADLINE_MS = 30_000;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'timeout' | 'aborted' };

/**
 * Reads a request body of at most MAX_BODY_BYTES, refusing a larger declared or sent one without
 * buffering it. After a refusal the rest of the body is left unread: the caller answers and closes.
 */
export function readBody(request: IncomingMessage): Promise<BodyResult> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: BodyResult) => {
      clearTimeout(timer);
      request.removeListener('data', onData);
      request.removeListener('end', onEnd);
      request.removeListener('aborted', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return done({ ok: false, reason: 'too-large' });
      chunks.push(chunk);
    };
    const onEnd = () => done({ ok: true, body: Buffer.concat(chunks) });
    const onAborted = () => done({ ok: false, reason: 'aborted' });
    const timer = setTimeout(() => done({ ok: false, reason: 'timeout' }), BODY_DEADLINE_MS);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('aborted', onAborted);
  });
}
