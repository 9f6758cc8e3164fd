import { createServer, type Socket } from 'node:net';
import { DO, IAC, SB, SE, WILL, TelnetDecoder } from '../../probes/telnet/codec.js';
import { SocketTracker, closeTcp, listenTcp } from '../tcp.js';

/**
 * A telnet login that is awkward on the wire: it opens with requests a login does not need (terminal
 * type, window size, environment), sends a subnegotiation nobody agreed to, repeats WILL ECHO, puts a
 * literal 0xFF (IAC IAC) in its banner and a NOP inside its login prompt, and can lock every login
 * after a number of failures.
 */

export interface TelnetServerOptions {
  /** A 127.x address to bind. */
  host: string;
  port?: number;
  users: Record<string, string>;
  /** Failed logins (over all connections) after which every login meets a lockout message and a closed connection. */
  lockoutAfter?: number;
  /** Accept connections and never say anything. */
  silent?: boolean;
}

export interface TelnetServer {
  host: string;
  port: number;
  /** Passwords received, whatever became of them. */
  attempts(): number;
  /** Every byte each connection sent, in order of connection. */
  clientBytes(): Buffer[];
  close(): Promise<void>;
}

const TTYPE = 24;
const NAWS = 31;
const NEW_ENVIRON = 39;
const ECHO = 1;
const SGA = 3;
const NOP = 241;
const TTYPE_SEND = 1;
const MAX_LINE = 256;

export const LOCKOUT_MESSAGE = 'Account locked: too many failed attempts, try again later';

const OPENING = Buffer.from([
  IAC, DO, TTYPE, IAC, DO, NAWS, IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, NEW_ENVIRON,
  IAC, SB, TTYPE, TTYPE_SEND, IAC, SE,
]);
const BANNER = Buffer.concat([Buffer.from('\r\nfake-cam firmware 2.1 '), Buffer.from([IAC, IAC]), Buffer.from('\r\n\r\n')]);
const LOGIN_PROMPT = Buffer.concat([Buffer.from('fake-cam lo'), Buffer.from([IAC, NOP]), Buffer.from('gin: ')]);

/** Lines typed by the client: telnet commands dropped, CR LF, CR NUL and a lone LF all ending a line. */
function lineReader(onLine: (line: string) => void): (chunk: Buffer) => void {
  const decoder = new TelnetDecoder();
  let line = '';
  let afterCr = false;
  return (chunk) => {
    for (const part of decoder.push(chunk)) {
      if (part.kind !== 'data') continue;
      for (const char of part.bytes.toString('utf8')) {
        if (char === '\n' && afterCr) {
          afterCr = false;
          continue;
        }
        afterCr = char === '\r';
        if (char === '\r' || char === '\n') {
          onLine(line);
          line = '';
        } else if (line.length < MAX_LINE) {
          line += char;
        }
      }
    }
  };
}

export async function startTelnetServer(options: TelnetServerOptions): Promise<TelnetServer> {
  const tracker = new SocketTracker();
  const received: Buffer[][] = [];
  let attempts = 0;
  let failures = 0;

  const session = (socket: Socket) => {
    let username: string | null = null;
    const ask = () => {
      username = null;
      socket.write(LOGIN_PROMPT);
    };
    socket.on('data', lineReader((line) => {
      if (username === null) {
        username = line;
        // Already agreed: a client that answers again has a negotiation loop waiting to happen.
        socket.write(Buffer.concat([Buffer.from([IAC, WILL, ECHO]), Buffer.from('\r\nPassword: ')]));
        return;
      }
      attempts++;
      if (options.lockoutAfter !== undefined && failures >= options.lockoutAfter) {
        socket.end(`\r\n${LOCKOUT_MESSAGE}\r\n`);
      } else if (options.users[username] === line) {
        socket.write('\r\n\r\nWelcome to fake-cam\r\n# ');
      } else {
        failures++;
        socket.write('\r\nLogin incorrect\r\n\r\n');
        ask();
      }
    }));
    socket.write(OPENING);
    // Separate writes, so the prompt usually arrives in more than one segment.
    setImmediate(() => {
      socket.write(BANNER);
      setImmediate(ask);
    });
  };

  const server = createServer((socket) => {
    tracker.add(socket);
    const bytes: Buffer[] = [];
    received.push(bytes);
    socket.on('data', (chunk: Buffer) => bytes.push(chunk));
    if (!options.silent) session(socket);
  });
  const port = await listenTcp(server, options.port ?? 0, options.host);
  return {
    host: options.host,
    port,
    attempts: () => attempts,
    clientBytes: () => received.map((chunks) => Buffer.concat(chunks)),
    close: () => closeTcp(server, tracker),
  };
}
