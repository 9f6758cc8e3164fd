import { createSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type OutgoingMessage } from 'coap';
import type { RunningService } from './tcp.js';

/** `coap`: `/.well-known/core` lists `</status>;rt="sim.status"`; GET /status returns {"ok":true}. */

export const CORE_LINK_FORMAT = '</status>;rt="sim.status"';

export interface CoapServerOptions {
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  port: number;
}

function handle(req: IncomingMessage, res: OutgoingMessage): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET') {
    res.code = '4.05';
    res.end();
    return;
  }
  if (path === '/.well-known/core') {
    res.setOption('Content-Format', 'application/link-format');
    res.end(CORE_LINK_FORMAT);
    return;
  }
  if (path === '/status') {
    res.setOption('Content-Format', 'application/json');
    res.end(JSON.stringify({ ok: true }));
    return;
  }
  res.code = '4.04';
  res.end();
}

/**
 * A node-coap server on a UDP socket bound here, so that the port is known and close() is ours. A
 * handler that throws on a malformed request answers nothing; server errors never throw.
 */
export async function serveCoap(handler: (req: IncomingMessage, res: OutgoingMessage) => void, options: { host: string; port: number }): Promise<RunningService> {
  const socket = createSocket({ type: 'udp4' });
  socket.on('error', () => { /* ICMP unreachable and friends */ });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: options.port, address: options.host, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const server = createServer({ type: 'udp4' }, (req, res) => {
    try {
      handler(req, res);
    } catch {
      // malformed request; nothing to answer
    }
  });
  server.on('error', () => { /* never throw */ });
  server.listen(socket);
  return {
    port: socket.address().port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

export function startCoapServer(options: CoapServerOptions): Promise<RunningService> {
  return serveCoap(handle, { host: options.host ?? '127.0.0.1', port: options.port });
}
