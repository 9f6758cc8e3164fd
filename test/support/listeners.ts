import { createServer, type Server, type Socket } from 'node:net';

export interface CountingListener {
  host: string;
  port: number;
  connections(): number;
  close(): Promise<void>;
}

/** A TCP listener that counts connections: the stand-in "device" for engine tests. */
export async function countingListener(host: string, port = 0): Promise<CountingListener> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as { port: number }).port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
