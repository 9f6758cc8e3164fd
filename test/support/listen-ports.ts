/**
 * A stand-in device for TCP scans, run as a child process inside a test's network namespace:
 * `node listen-ports.js <host> <port>…` listens on every port given, accepts and drops each connection,
 * prints "ready" once all listen, and runs until it is killed.
 */
import { createServer } from 'node:net';

const [host, ...ports] = process.argv.slice(2);
if (!host || ports.length === 0) throw new Error('usage: listen-ports <host> <port>…');
await Promise.all(
  ports.map(
    (port) =>
      new Promise<void>((resolve, reject) => {
        const server = createServer((socket) => {
          socket.on('error', () => {});
          socket.destroy();
        });
        server.once('error', reject);
        server.listen(Number(port), host, () => resolve());
      }),
  ),
);
process.stdout.write('ready\n');
