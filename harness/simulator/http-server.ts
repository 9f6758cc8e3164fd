import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SocketTracker, closeTcp, listenTcp } from './tcp.js';

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * A simulated device's HTTP server: aborted requests, vanished clients, garbage and handler faults never
 * throw, slow clients time out, and close() drops every open connection so tests never leak handles.
 */
export async function serveHttp(handle: HttpHandler, options: { host?: string; port?: number; keepAliveTimeoutMs?: number }): Promise<{ port: number; close(): Promise<void> }> {
  const tracker = new SocketTracker();
  const server = createServer((req, res) => {
    req.on('error', () => { /* aborted request */ });
    res.on('error', () => { /* client went away */ });
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });
  server.on('connection', (socket) => tracker.add(socket));
  server.on('clientError', (_err, socket) => socket.destroy());
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
