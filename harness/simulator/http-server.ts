import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import { SocketTracker, closeTcp, listenTcp } from './tcp.js';

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface HttpServeOptions {
  host?: string;
  port?: number;
  keepAliveTimeoutMs?: number;
  /** Serve HTTPS with these settings instead of plain HTTP. */
  tls?: TlsOptions;
}

/**
 * A simulated device's HTTP or HTTPS server: aborted requests, vanished clients, garbage, failed TLS
 * handshakes and handler faults never throw, slow clients time out, and close() drops every open
 * connection so tests never leak handles.
 */
export async function serveHttp(handle: HttpHandler, options: HttpServeOptions): Promise<{ port: number; close(): Promise<void> }> {
  const tracker = new SocketTracker();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    req.on('error', () => { /* aborted request */ });
    res.on('error', () => { /* client went away */ });
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, onRequest) : createServer(onRequest);
  // The TCP socket, also under TLS: destroying it ends a handshake that never completes.
  server.on('connection', (socket) => tracker.add(socket));
  server.on('clientError', (_err, socket) => socket.destroy());
  if (options.tls) server.on('tlsClientError', (_err, socket) => socket.destroy());
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  const port = await listenTcp(server, options.port ?? 0, options.host);
  return {
    port,
    close: async () => {
      const closed = closeTcp(server, tracker);
      server.closeAllConnections();
      await closed;
    },
  };
}

export function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json', JSON.stringify(body), headers);
}
