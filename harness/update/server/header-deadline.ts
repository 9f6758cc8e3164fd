import type { Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Request headers must arrive within `deadlineMs` of the connection, or of the previous response on a
 * kept-alive one; else the connection is destroyed. Node's own headersTimeout runs only for a server
 * that listens itself, and the update server hands its HTTP server connections it accepted (and maybe
 * decrypted) itself. The idle timeout alone would let a slowloris client, which sends a byte now and
 * then, hold a connection for ever.
 */
export function enforceHeaderDeadline(http: HttpServer, deadlineMs: number): void {
  const timers = new WeakMap<Duplex, NodeJS.Timeout>();
  const disarm = (socket: Duplex) => clearTimeout(timers.get(socket));
  const arm = (socket: Duplex) => {
    disarm(socket);
    if (socket.destroyed) return;
    timers.set(socket, setTimeout(() => socket.destroy(), deadlineMs));
  };
  http.on('connection', (socket: Duplex) => {
    arm(socket);
    socket.once('close', () => disarm(socket));
  });
  http.on('request', (request, response) => {
    disarm(request.socket);
    response.once('finish', () => arm(request.socket));
  });
}
