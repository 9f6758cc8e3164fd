import { createServer } from 'node:net';
import { SocketTracker, closeTcp, listenTcp, type RunningService } from './tcp.js';

/**
 * `debug`: the forgotten factory shell of the insecure firmware. A raw TCP listener that greets with
 * a BusyBox banner and a root prompt, answers every line with a fresh prompt, and asks for no login.
 * Nothing typed is executed.
 */

export const BUSYBOX_BANNER = '\r\nBusyBox v1.30 built-in shell (ash)\r\n# ';
const MAX_LINE = 1024;

export interface DebugPortOptions {
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  port: number;
}

export async function startDebugPort(options: DebugPortOptions): Promise<RunningService> {
  const tracker = new SocketTracker();
  const server = createServer((socket) => {
    tracker.add(socket);
    socket.setTimeout(60_000, () => socket.destroy());
    socket.write(BUSYBOX_BANNER);
    let pending = 0;
    socket.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte === 0x0a) {
          pending = 0;
          socket.write('\r\n# ');
        } else if (++pending > MAX_LINE) {
          pending = 0;
          socket.write('\r\nash: line too long\r\n# ');
        }
      }
    });
    socket.on('end', () => socket.end());
  });
  const port = await listenTcp(server, options.port, options.host);
  return { port, close: () => closeTcp(server, tracker) };
}
