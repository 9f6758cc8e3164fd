import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SocketTracker, closeTcp, listenTcp } from './tcp.js';

/**
 * Deliberately broken TCP servers on 127.0.0.1 for robustness tests of the protocol probes:
 * - `hang`: accepts and never writes;
 * - `garbage`: writes 512 random bytes, then more junk every 100 ms until the client closes;
 * - `reset`: aborts every connection with a TCP RST as soon as it is accepted;
 * - `slow-close`: writes nothing and closes (FIN) after 200 ms.
 */

export type MisbehaviourKind = 'hang' | 'garbage' | 'reset' | 'slow-close';

export interface MisbehavingServer {
  port: number;
  /** Connections accepted since the server started. */
  connections(): number;
  close(): Promise<void>;
}

export async function startMisbehavingServer(kind: MisbehaviourKind): Promise<MisbehavingServer> {
  const tracker = new SocketTracker();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((socket) => {
    tracker.add(socket);
    switch (kind) {
      case 'hang':
        socket.on('data', () => { /* read and ignore */ });
        break;
      case 'garbage': {
        socket.on('data', () => { /* read and ignore */ });
        socket.write(randomBytes(512));
        const timer = setInterval(() => {
          if (socket.destroyed || !socket.writable) return;
          socket.write(randomBytes(64));
        }, 100);
        timers.add(timer);
        socket.once('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        break;
      }
      case 'reset':
        socket.resetAndDestroy();
        break;
      case 'slow-close': {
        socket.on('data', () => { /* read and ignore */ });
        const timer = setTimeout(() => socket.end(), 200);
        timers.add(timer);
        socket.once('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        break;
      }
    }
  });
  const port = await listenTcp(server, 0);
  return {
    port,
    connections: () => tracker.total,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeTcp(server, tracker);
    },
  };
}
