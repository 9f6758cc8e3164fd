import type { Duplex } from 'node:stream';

/** How a reply ended: the recogniser had enough, the peer fell quiet or closed, the cap was hit, or the port's budget ran out. */
export type ReplyEnd = 'complete' | 'quiet' | 'closed' | 'capped' | 'aborted' | 'error';

export interface Reply {
  bytes: Buffer;
  end: ReplyEnd;
}

/** More than any banner or first reply jcstar reads; a device that sends without end is cut here. */
export const REPLY_CAP = 16 * 1024;
/**
 * Once a reply has begun, a pause this long ends it: a service that answered and then holds the
 * connection open (an RTSP server to an HTTP GET, adbd to anything) need not cost the whole wait.
 */
export const PAUSE_AFTER_REPLY_MS = 400;

/**
 * Sends `payload` (nothing for a passive read) and collects what comes back until `complete` says it
 * is enough, `waitMs` pass (or PAUSE_AFTER_REPLY_MS without a byte once some came), the peer closes,
 * or it exceeds REPLY_CAP.
 * The stream stays open (paused) so that a quiet one can carry the next probe; the caller closes it.
 */
export function converse(stream: Duplex, payload: Buffer | null, options: { complete: (bytes: Buffer) => boolean; waitMs: number; signal: AbortSignal }): Promise<Reply> {
  return new Promise<Reply>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const bytes = () => Buffer.concat(chunks, size);
    let pause: NodeJS.Timeout | undefined;
    const finish = (end: ReplyEnd) => {
      clearTimeout(timer);
      clearTimeout(pause);
      stream.off('data', onData);
      stream.off('end', onClose);
      stream.off('close', onClose);
      stream.off('error', onError);
      options.signal.removeEventListener('abort', onAbort);
      stream.pause();
      resolve({ bytes: bytes(), end });
    };
    const onData = (chunk: Buffer) => {
      const room = REPLY_CAP - size;
      chunks.push(chunk.subarray(0, room));
      size += Math.min(chunk.length, room);
      if (chunk.length > room) return finish('capped');
      if (options.complete(bytes())) return finish('complete');
      clearTimeout(pause);
      pause = setTimeout(() => finish('quiet'), Math.min(PAUSE_AFTER_REPLY_MS, options.waitMs));
    };
    const onClose = () => finish('closed');
    const onError = () => finish('error');
    const onAbort = () => finish('aborted');
    // A slow drip does not extend the wait: it runs from the send, not from the last byte received.
    const timer = setTimeout(() => finish('quiet'), options.waitMs);
    if (options.signal.aborted) return finish('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.once('end', onClose);
    stream.once('close', onClose);
    stream.once('error', onError);
    if (stream.destroyed) return finish('closed');
    stream.resume();
    if (payload !== null) stream.write(payload, () => {});
  });
}
