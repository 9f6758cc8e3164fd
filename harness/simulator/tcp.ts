import type { Server, Socket } from 'node:net';

/**
 * Remembers a server's open sockets so close() can destroy the lingering ones, and gives every socket
 * an 'error' listener so a reset or garbage from a client never becomes an uncaught exception.
 */
export class SocketTracker {
  private readonly sockets = new Set<Socket>();
  total = 0;

  add(socket: Socket): void {
    this.total++;
    this.sockets.add(socket);
    socket.on('error', () => { /* client misbehaviour is expected; the socket is closed by Node */ });
    socket.once('close', () => this.sockets.delete(socket));
  }

  get open(): number {
    return this.sockets.size;
  }

  destroyAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}

/** Listen on 127.0.0.1:`port` (0 = ephemeral) and resolve with the bound port. */
export function listenTcp(server: Server, port: number, host: string = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      server.on('error', () => { /* a listening server only errors on fatal conditions; never throw */ });
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server has no TCP address'));
      else resolve(address.port);
    });
  });
}

/** Stop accepting, destroy open sockets, and resolve once the server has closed. */
export function closeTcp(server: Server, tracker: SocketTracker): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      tracker.destroyAll();
      resolve();
      return;
    }
    server.close(() => resolve());
    tracker.destroyAll();
  });
}

/** What every simulated service hands back to the device. */
export interface RunningService {
  port: number;
  close(): Promise<void>;
}
