import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, isIP, type Server as TcpServer, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import type { ScopeGuard } from '../../scope/guard.js';
import type { DeviceFeedback, ImageVariant, ServeMode, UpdateRequestRecord } from '../types.js';
import { ConnectionGate, IDLE_MS, type PortChannel } from './connection-gate.js';
import { answerEmpty, type Exchange } from './exchange.js';
import { answerHawkbit } from './hawkbit-api.js';
import { enforceHeaderDeadline } from './header-deadline.js';
import { sendImage } from './image-response.js';
import { leafFingerprint, madeUpCertificateFor, untrustedLookalike } from './made-up-certificates.js';
import { answerManifest } from './manifest-api.js';
import { OfferBoard } from './offers.js';
import { redactedHeaders, RequestLog } from './request-log.js';

/**
 * jcstar's rogue update server: it plays the device's update server during the hands-on update
 * attempts (S1.1-08), offering one image variant at a time over the channel the attempt calls for,
 * and records every request and refused connection and the device's own feedback.
 */

export interface UpdateServerOptions {
  /** One of the lab host's own addresses (an IP literal); the server listens there only. */
  address: string;
  port: number;
  /** A second port that always speaks plain HTTP, for the plain download link. */
  plainPort?: number;
  /** PEM chain and key of the genuine server; null: the genuine server speaks plain HTTP. */
  tls: { certificate: string; key: string } | null;
  /** Clients outside the scope: connection destroyed unanswered, recorded inScope:false. */
  guard: ScopeGuard;
  protocol: 'hawkbit' | 'manifest';
  /** hawkBit tenant (default DEFAULT, matched case-insensitively). */
  tenant?: string;
  /** The hawkBit controller ID answered; absent: any. */
  controllerId?: string;
  /** manifest: the path the device GETs (default /manifest.json). */
  manifestPath?: string;
  /** Poll interval announced to hawkBit clients, seconds (default 5). */
  pollSeconds?: number;
  /** How long an idle connection, a TLS handshake or request headers may take (default IDLE_MS, 30 s). */
  idleMs?: number;
}

export interface UpdateServer {
  /** Every request and refused connection, in order, at most MAX_RECORDS (then `dropped.requests` counts). */
  readonly requests: readonly UpdateRequestRecord[];
  readonly feedback: readonly DeviceFeedback[];
  /** What the bounds left out: requests beyond the log's size, connections beyond MAX_CONNECTIONS. */
  readonly dropped: { readonly requests: number; readonly connections: number };
  /** SHA-256 fingerprints of the leaf certificates presented: the genuine one (null when plain) and the made-up one. */
  readonly certificates: { readonly genuine: string | null; readonly untrusted: string };
  /** Offer this image on the next poll, served per mode; returns the action/offer id. */
  offer(variant: ImageVariant, mode: ServeMode): string;
  /** Stop offering (hawkBit: no deploymentBase link; manifest: 204 "no update"). */
  withdraw(): void;
  /** Resolves when the device fetched the latest offered image (whole, or the cut half), or null at timeout/abort/close. */
  waitForDownload(options: { timeoutMs: number; signal?: AbortSignal }): Promise<UpdateRequestRecord | null>;
  /** Resolves at the first hawkBit feedback with finished=success|failure for the latest offer, or null. */
  waitForFinalFeedback(options: { timeoutMs: number; signal?: AbortSignal }): Promise<DeviceFeedback | null>;
  /** The listening URLs (https or http as the genuine server, and the plain port's). */
  readonly urls: { api: string; plain?: string };
  close(): Promise<void>;
}

const DEFAULT_POLL_SECONDS = 5;
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_HEADERS = 64;
const MAX_REQUESTS_PER_CONNECTION = 100;
const MAX_PATH_CHARS = 512;
const UNSPECIFIED = new Set(['0.0.0.0', '::', '::0']);
const FINAL = new Set(['success', 'failure']);

function urlHost(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

function assertOptions(options: UpdateServerOptions): void {
  if (isIP(options.address) === 0 || UNSPECIFIED.has(options.address)) {
    throw new Error(`the update server listens on one of the lab host's addresses, given as an IP literal; got "${options.address}"`);
  }
  if (options.plainPort !== undefined && options.plainPort !== 0 && options.plainPort === options.port) throw new Error(`plainPort ${options.plainPort} is the API port`);
  if (options.pollSeconds !== undefined && (!Number.isInteger(options.pollSeconds) || options.pollSeconds < 1 || options.pollSeconds > 86_399)) {
    throw new Error(`pollSeconds must be a whole number of seconds from 1 to 86399; got ${options.pollSeconds}`);
  }
}

function listen(server: TcpServer, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.removeListener('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

export async function startUpdateServer(options: UpdateServerOptions): Promise<UpdateServer> {
  assertOptions(options);
  const host = urlHost(options.address);
  const genuine = options.tls ? createSecureContext({ cert: options.tls.certificate, key: options.tls.key }) : null;
  const madeUp = options.tls ? await untrustedLookalike(options.tls.certificate) : await madeUpCertificateFor(options.address);
  const untrusted = createSecureContext({ cert: madeUp.certificate, key: madeUp.key });
  const log = new RequestLog();
  const offers = new OfferBoard(genuine !== null);
  let plainPort: number | undefined;

  const apiChannel = (): PortChannel => {
    const channel = offers.apiChannel;
    if (channel === 'genuine-tls' && genuine) return { tls: genuine };
    if (channel === 'untrusted-tls') return { tls: untrusted };
    return { tls: null };
  };

  const answer = async (exchange: Exchange): Promise<void> => {
    const offer = offers.current;
    // suricatta (libcurl) asks with HEAD for the size before it downloads.
    if (offer && exchange.pathname === offer.imagePath && exchange.request.method === 'HEAD') {
      exchange.record.status = 200;
      exchange.response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(offer.variant.bytes.length) });
      exchange.response.end();
      return;
    }
    if (offer && exchange.pathname === offer.imagePath && exchange.request.method === 'GET') {
      const delivery = await sendImage(exchange.response, offer.variant.bytes, { cutAtHalf: offer.mode.cutAtHalf, contentType: 'application/octet-stream' });
      Object.assign(exchange.record, { status: 200 }, delivery);
      return;
    }
    const answered = options.protocol === 'hawkbit'
      ? await answerHawkbit(exchange, { tenant: options.tenant ?? 'DEFAULT', controllerId: options.controllerId, pollSeconds: options.pollSeconds ?? DEFAULT_POLL_SECONDS }, offers, (f) => log.recordFeedback(f))
      : answerManifest(exchange, options.manifestPath ?? '/manifest.json', offers);
    if (!answered) answerEmpty(exchange, 404);
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const encrypted = socket instanceof TLSSocket;
    const path = (request.url ?? '').slice(0, MAX_PATH_CHARS);
    const record: UpdateRequestRecord = {
      at: new Date().toISOString(),
      client: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      inScope: true,
      channel: encrypted ? 'tls' : 'plain',
      method: request.method,
      path,
      headers: redactedHeaders(request.headers),
    };
    const origin = `${encrypted ? 'https' : 'http'}://${host}:${socket.localPort}`;
    const exchange: Exchange = {
      request,
      response,
      record,
      pathname: path.split('?')[0]!,
      origin,
      downloadUrl: (offer) => (offer.mode.plainDownloadLink ? `http://${host}:${plainPort}${offer.imagePath}` : `${origin}${offer.imagePath}`),
    };
    const closed = new Promise((resolve) => response.once('close', resolve));
    answer(exchange)
      .catch(() => {
        // A fault of the harness: the device gets a 500, the record says so.
        if (!response.headersSent) answerEmpty(exchange, 500);
        else response.destroy();
      })
      // Recorded once both the handler has filled the record in and the response is over.
      .then(() => closed)
      .then(() => log.record(record));
  };

  const http = createHttpServer({ maxHeaderSize: MAX_HEADER_BYTES }, onRequest);
  http.maxHeadersCount = MAX_HEADERS;
  http.maxRequestsPerSocket = MAX_REQUESTS_PER_CONNECTION;
  const idleMs = options.idleMs ?? IDLE_MS;
  http.timeout = idleMs;
  http.keepAliveTimeout = idleMs;
  enforceHeaderDeadline(http, idleMs);
  http.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    log.record({
      at: new Date().toISOString(),
      client: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      inScope: true,
      channel: socket instanceof TLSSocket ? 'tls' : 'plain',
      status,
    });
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    socket.destroySoon();
  });

  const gate = new ConnectionGate(options.guard, log, http, idleMs);
  const apiListener = createTcpServer((socket) => gate.accept(socket, apiChannel));
  const plainListener = options.plainPort === undefined ? null : createTcpServer((socket) => gate.accept(socket, () => ({ tls: null })));
  const apiPort = await listen(apiListener, options.address, options.port);
  try {
    if (plainListener) plainPort = await listen(plainListener, options.address, options.plainPort!);
  } catch (err) {
    apiListener.close();
    throw err;
  }

  const latestMatching = <T>(wait: (matches: (item: T) => boolean) => Promise<T | null>, matches: (offerId: string, imagePath: string, item: T) => boolean) => {
    const offer = offers.latest;
    if (!offer) return Promise.resolve(null);
    return wait((item) => matches(offer.id, offer.imagePath, item));
  };

  return {
    get requests() {
      return log.requests;
    },
    get feedback() {
      return log.feedback;
    },
    get dropped() {
      return { requests: log.requestsDropped, connections: log.connectionsDropped };
    },
    certificates: { genuine: options.tls ? leafFingerprint(options.tls.certificate) : null, untrusted: leafFingerprint(madeUp.certificate) },
    urls: { api: `${genuine ? 'https' : 'http'}://${host}:${apiPort}`, ...(plainPort === undefined ? {} : { plain: `http://${host}:${plainPort}` }) },
    offer(variant, mode) {
      if (mode.plainDownloadLink && plainPort === undefined) throw new Error('a plain download link needs the server\'s plainPort');
      return offers.offer(variant, mode).id;
    },
    withdraw() {
      offers.withdraw();
    },
    waitForDownload(wait) {
      return latestMatching<UpdateRequestRecord>(
        (matches) => log.waitForRequest(matches, wait),
        (_id, imagePath, r) => r.imageBytesSent !== undefined && r.path?.split('?')[0] === imagePath,
      );
    },
    waitForFinalFeedback(wait) {
      return latestMatching<DeviceFeedback>(
        (matches) => log.waitForFeedback(matches, wait),
        (id, _path, f) => f.actionId === id && f.finished !== undefined && FINAL.has(f.finished),
      );
    },
    async close() {
      offers.withdraw();
      log.close();
      const closed = [apiListener, plainListener].filter((l): l is TcpServer => l !== null).map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
      gate.destroyAll();
      await Promise.all(closed);
    },
  };
}
