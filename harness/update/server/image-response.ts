import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** What went out of one image response, for its request record. */
export interface ImageDelivery {
  imageBytesSent: number;
  imageComplete: boolean;
  /** SHA-256 of the bytes sent, which for a cut download is the first half only. */
  servedSha256: string;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Sends an image as the body of a 200 response, in chunks that wait for the client to take them. With
 * `cutAtHalf` the headers still announce the whole length, then half the bytes go out and the
 * connection is destroyed: a download cut off half way, as a device on a failing link sees it. Range
 * requests are answered with the whole image (a server may ignore Range), so a resumed cut download is
 * cut again rather than completed. Resolves when the response ends or the client goes away.
 */
export function sendImage(response: ServerResponse, image: Buffer, options: { cutAtHalf: boolean; contentType: string }): Promise<ImageDelivery> {
  const end = options.cutAtHalf ? Math.floor(image.length / 2) : image.length;
  const hash = createHash('sha256');
  let sent = 0;
  response.writeHead(200, { 'content-type': options.contentType, 'content-length': String(image.length) });
  return new Promise((resolve) => {
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      response.removeListener('drain', writeMore);
      resolve({ imageBytesSent: sent, imageComplete: sent === image.length, servedSha256: hash.digest('hex') });
    };
    // Once the half has left, the connection goes as a broken link would take it: no end, no close_notify.
    const cut = () => {
      response.socket?.destroy();
      settle();
    };
    const writeMore = () => {
      while (sent < end && !response.destroyed) {
        const chunk = image.subarray(sent, Math.min(end, sent + CHUNK_BYTES));
        sent += chunk.length;
        hash.update(chunk);
        const last = sent === end;
        if (last && options.cutAtHalf) return void response.write(chunk, cut);
        if (!response.write(chunk)) return;
      }
      if (response.destroyed) return settle();
      if (options.cutAtHalf) return cut();
      response.end(settle);
    };
    response.on('drain', writeMore);
    response.once('close', settle);
    writeMore();
  });
}
