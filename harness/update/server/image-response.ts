import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { answerEmpty, type Exchange } from './exchange.js';
import type { Offer } from './offers.js';

/** What went out of one image response, for its request record. */
export interface ImageDelivery {
  imageBytesSent: number;
  imageComplete: boolean;
  /** SHA-256 of the bytes sent, which for a cut download is the first half only. */
  servedSha256: string;
}

const CHUNK_BYTES = 64 * 1024;
const IMAGE_TYPE = 'application/octet-stream';

/**
 * Sends an image as the body of a 200 response, in chunks that wait for the client to take them. With
 * `cutAtHalf` the headers still announce the whole length, then half the bytes go out and the
 * connection is destroyed: a download cut off half way, as a device on a failing link sees it. Range
 * requests are answered with the whole image (a server may ignore Range), so a resumed cut download is
 * cut again rather than completed. Resolves when the response ends or the client goes away.
 */
function sendImage(response: ServerResponse, image: Buffer, options: { cutAtHalf: boolean }): Promise<ImageDelivery> {
  const end = options.cutAtHalf ? Math.floor(image.length / 2) : image.length;
  const hash = createHash('sha256');
  let sent = 0;
  response.writeHead(200, { 'content-type': IMAGE_TYPE, 'content-length': String(image.length) });
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


/** Answers HEAD and GET for the offered image (suricatta's libcurl asks HEAD for the size first); false for any other request. */
export async function answerImage(exchange: Exchange, offer: Offer | null): Promise<boolean> {
  if (!offer || exchange.pathname !== offer.imagePath) return false;
  const method = exchange.request.method;
  if (method === 'HEAD') {
    exchange.record.status = 200;
    exchange.response.writeHead(200, { 'content-type': IMAGE_TYPE, 'content-length': String(offer.variant.bytes.length) });
    exchange.response.end();
    return true;
  }
  if (method !== 'GET') {
    answerEmpty(exchange, 405);
    return true;
  }
  const delivery = await sendImage(exchange.response, offer.variant.bytes, { cutAtHalf: offer.mode.cutAtHalf });
  Object.assign(exchange.record, { status: 200 }, delivery);
  return true;
}
