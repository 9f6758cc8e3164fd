import { answerEmpty, answerJson, type Exchange } from './exchange.js';
import type { OfferBoard } from './offers.js';

/**
 * The generic pull protocol: the device GETs `manifestPath` and receives `{version, url, sha256, size}`
 * while an image is offered, or 204 No Content when there is no update. `url` names the channel and
 * port of the attempt (the plain port for a plain download link).
 */
export function answerManifest(exchange: Exchange, manifestPath: string, offers: OfferBoard): boolean {
  if (exchange.pathname !== manifestPath || exchange.request.method !== 'GET') return false;
  const offer = offers.current;
  if (!offer) {
    answerEmpty(exchange, 204);
    return true;
  }
  answerJson(exchange, 200, { version: offer.variant.version, url: exchange.downloadUrl(offer), sha256: offer.hashes.sha256, size: offer.variant.bytes.length });
  return true;
}
