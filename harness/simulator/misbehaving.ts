import { createServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SocketTracker, closeTcp, listenTcp } from './tcp.js';

/**
 * Deliberately broken TCP servers on 127.0.0.1 for robustness tests of the protocol probes:
 * - `hang`: accepts and never writes;
 * - `garbage`: writes 512 random bytes, then more junk every 100 ms until the client closes;
 * - `reset`: aborts every connection with a TCP RST as soon as it is accepted;
 * - `slow-close`: writes nothing and closes (FIN) after 200 ms;
 * - `endless-line`: a reply that starts like one (`lineStart`: an FTP greeting, a status line, a prompt)
 *   and never ends: printable text, no CR or LF, as fast as the client reads;
 * - `reply-flood`: one well-formed reply (`reply`: an FTP reply, an RTSP response, a line) over and over,
 *   as fast as the client reads;
 * - `telnet-negotiation`: Telnet option negotiation without end (WILL, DO, SB … SE), as fast as the client reads;
 * - `endless-http-body`: to any request, a 200 with a chunked body that never ends;
 * - `endless-mqtt-packet`: to a CONNECT, a packet announcing the largest MQTT length (256 MB), then its bytes, endlessly.
 */

export type MisbehaviourKind = 'hang' | 'garbage' | 'reset' | 'slow-close' | 'endless-line' | 'reply-flood' | 'telnet-negotiation' | 'endless-http-body' | 'endless-mqtt-packet';

export interface MisbehaviourOptions {
  /** For `endless-line`: the bytes the never-ending line starts with. */
  lineStart?: string;
  /** For `reply-flood`: the reply repeated. */
  reply?: string;
}

const CHUNK = 16 * 1024;
const IAC = 0xff;
/** WILL, DO, WONT and DONT on options a client refuses, then a subnegotiation of a terminal type. */
const NEGOTIATION_ROUND = Buffer.from([IAC, 0xfb, 24, IAC, 0xfd, 31, IAC, 0xfb, 39, IAC, 0xfd, 36, IAC, 0xfa, 24, 1, 0x41, 0x42, IAC, 0xf0]);

function repeatTo(unit: Buffer, size: number): Buffer {
  return Buffer.concat(Array.from({ length: Math.ceil(size / unit.length) }, () => unit));
}

/** Writes `chunk` again and again, as fast as the client reads it (backpressure), until the socket closes. */
function flood(socket: Socket, chunk: Buffer): void {
  const pump = (): void => {
    while (!socket.destroyed && socket.writable) {
      if (!socket.write(chunk)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

export interface MisbehavingServer {
  port: number;
  /** Connections accepted since the server started. */
  connections(): number;
  close(): Promise<void>;
}

export async function startMisbehavingServer(kind: MisbehaviourKind, options: MisbehaviourOptions = {}): Promise<MisbehavingServer> {
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
      case 'endless-line':
        socket.on('data', () => { /* read and ignore */ });
        socket.write(options.lineStart ?? '');
        flood(socket, Buffer.alloc(CHUNK, 'x'));
        break;
      case 'reply-flood':
        socket.on('data', () => { /* read and ignore */ });
        flood(socket, repeatTo(Buffer.from(options.reply ?? '\r\n'), CHUNK));
        break;
      case 'telnet-negotiation':
        socket.on('data', () => { /* read and ignore */ });
        flood(socket, repeatTo(NEGOTIATION_ROUND, CHUNK));
        break;
      case 'endless-http-body':
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n');
          const body = Buffer.alloc(CHUNK - 16, 'y');
          flood(socket, Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]));
        });
        socket.on('data', () => { /* read and ignore */ });
        break;
      case 'endless-mqtt-packet':
        socket.once('data', () => {
          // CONNACK's type with the largest remaining length MQTT can encode (0xFFFFFF7F = 268,435,455 bytes).
          socket.write(Buffer.from([0x20, 0xff, 0xff, 0xff, 0x7f]));
          flood(socket, Buffer.alloc(CHUNK, 0));
        });
        socket.on('data', () => { /* read and ignore */ });
        break;
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
