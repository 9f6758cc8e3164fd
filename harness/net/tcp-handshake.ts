import { isIP } from 'node:net';
import { getSystemErrorName } from 'node:util';

/**
 * A bare TCP handshake for port scans: connect, note the answer, close with a reset. It drives libuv's TCP
 * handle directly (Node's own `tcp_wrap` binding, which net.Socket wraps) because a net.Socket costs
 * about 20 µs of JavaScript per connection (a stream, an error object with its stack for every refusal),
 * four times the kernel's own work: a 65535-port scan took three times nmap's time. Only GuardedNetwork
 * calls it, after the scope guard and the scan's rate limit.
 */

/** What the port answered: the handshake completed, a reset, a network unreachable, silence, or a local failure. */
export type HandshakeAnswer = 'completed' | 'refused' | 'unreachable' | 'timeout' | 'failed';

export interface Handshake {
  answer: HandshakeAnswer;
  /** The system error behind refused, unreachable and failed (ECONNREFUSED, EHOSTUNREACH, EADDRNOTAVAIL…). */
  error: string | null;
}

interface TcpHandle {
  connect(req: ConnectRequest, address: string, port: number): number;
  connect6(req: ConnectRequest, address: string, port: number): number;
  getsockname(out: { address?: string; port?: number }): number;
  reset(callback: () => void): number;
  close(callback?: () => void): void;
}
interface ConnectRequest {
  oncomplete: (status: number) => void;
}
interface TcpWrapBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectRequest;
  constants: { SOCKET: number };
}

const binding = (process as unknown as { binding(name: 'tcp_wrap'): TcpWrapBinding }).binding('tcp_wrap');

const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH']);

/** Connects to an IP literal, waits at most `timeoutMs` for the handshake, and never leaves a socket open. */
export function tcpHandshake(address: string, port: number, timeoutMs: number): Promise<Handshake> {
  return new Promise((resolve) => {
    const handle = new binding.TCP(binding.constants.SOCKET);
    const request = new binding.TCPConnectWrap();
    let settled = false;
    const settle = (answer: HandshakeAnswer, status: number) => {
      settled = true;
      clearTimeout(timer);
      resolve({ answer, error: status < 0 ? getSystemErrorName(status) : null });
    };
    // The timers phase runs before the poll phase: on a busy event loop an answer already in would lose to
    // its timer, so silence is decided after pending I/O is read.
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (settled) return;
          settle('timeout', 0);
          handle.close();
        }),
      timeoutMs,
    );
    request.oncomplete = (status) => {
      if (settled) return;
      if (status < 0) {
        const name = getSystemErrorName(status);
        settle(REFUSED.has(name) ? 'refused' : UNREACHABLE.has(name) ? 'unreachable' : 'failed', status);
        handle.close();
        return;
      }
      // On loopback the kernel may pick the scanned port as the source port when nothing listens there, and
      // the socket connects to itself (TCP simultaneous open); a listener's port is never picked: refused.
      const local: { address?: string; port?: number } = {};
      handle.getsockname(local);
      settle(local.port === port && local.address === address ? 'refused' : 'completed', 0);
      // A reset, not a FIN: neither side keeps the connection in TIME_WAIT.
      if (handle.reset(() => {}) !== 0) handle.close();
    };
    const status = isIP(address) === 6 ? handle.connect6(request, address, port) : handle.connect(request, address, port);
    if (status !== 0) {
      settle('failed', status);
      handle.close();
    }
  });
}
