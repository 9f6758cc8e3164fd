import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UpdateRequestRecord } from '../types.js';
import type { Offer } from './offers.js';
import { readBody } from './request-body.js';

/**
 * One request and its answer, as the protocol handlers (hawkBit, manifest) see it: the record that will
 * go into the log once the response is over, the origin the request came in on (links in answers point
 * back there), and where the offered image is downloaded.
 */
export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  /** Path without its query. */
  pathname: string;
  record: UpdateRequestRecord;
  /** scheme://host:port the request arrived at. */
  origin: string;
  /** The URL the device is told to download `offer` from: on the offer's channel, or the plain port. */
  downloadUrl(offer: Offer): string;
}

export function answerJson(exchange: Exchange, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  exchange.record.status = status;
  exchange.response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  exchange.response.end(text);
}

export function answerEmpty(exchange: Exchange, status: number): void {
  exchange.record.status = status;
  exchange.response.writeHead(status, { 'content-length': '0' });
  exchange.response.end();
}

const REFUSED_BODY_STATUS = { 'too-large': 413, timeout: 408, aborted: 400 } as const;

/**
 * Reads a JSON body. A body too large, too slow or not JSON is answered here (413, 408, 400), and a
 * body left unread closes the connection; the result is then undefined.
 */
export async function jsonBody(exchange: Exchange): Promise<unknown> {
  const body = await readBody(exchange.request);
  if (!body.ok) {
    exchange.record.status = REFUSED_BODY_STATUS[body.reason];
    exchange.response.writeHead(exchange.record.status, { connection: 'close', 'content-length': '0' });
    exchange.response.end(() => exchange.response.socket?.destroy());
    return undefined;
  }
  try {
    return JSON.parse(body.body.toString('utf8')) as unknown;
  } catch {
    answerEmpty(exchange, 400);
    return undefined;
  }
}
