import type { Socket as UdpSocket } from 'node:dgram';
import type { PortStatus, ServiceIdentity } from '../../inventory/types.js';
import { NetError } from '../../net/errors.js';
import type { GuardedNetwork } from '../../net/network.js';
import { printable, recognised, type Recognition, type UdpPayload } from './payload.js';
import type { RoundTrips } from './round-trips.js';

export type UdpPortEntry = PortStatus & { payload: string; identity: ServiceIdentity | null };

/** Datagrams kept from one port: enough to find the answer among a few strays, bounded against floods. */
const MAX_DATAGRAMS = 8;
/** After an answer that is not recognised, how long other datagrams may still bring the recognisable one. */
const SETTLE_MS = 150;
/** How often a wait looks again at the host's round-trip time, which other ports' answers may shorten. */
const RECHECK_MS = 25;
/** Bytes of an exchange shown in evidence. */
const EXCERPT_BYTES = 96;

type Event =
  | { kind: 'datagram'; datagram: Buffer }
  | { kind: 'refused' }
  | { kind: 'unreachable'; reason: string }
  /** The socket failed otherwise (a local firewall, no route): nothing is known of the port. */
  | { kind: 'socket-error'; reason: string }
  | { kind: 'timeout' };

/**
 * One UDP port as nmap -sU sees it: the payload sent on a connected socket, so that the kernel reports an
 * ICMP port unreachable (ECONNREFUSED: closed); any answer is open; silence after every retry is
 * open|filtered, never open. Each send waits as long as `roundTrips` says, which the host's answers on
 * any port shorten. An answer is recognised by the payload's protocol, or kept as `unknown`.
 * Throws only on abort or a scope violation.
 */
export async function probeUdpPort(
  net: GuardedNetwork,
  host: string,
  port: number,
  payload: UdpPayload,
  retries: number,
  roundTrips: RoundTrips,
  signal: AbortSignal,
): Promise<UdpPortEntry> {
  const family = host.includes(':') ? 'udp6' : 'udp4';
  const shared = payload.answersFromAnotherPort === true;
  const socket = net.udpSocket(family, { reuseAddr: shared });
  let side: UdpSocket | null = null;
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (event: Event) => {
    if (event.kind === 'datagram' && events.filter((e) => e.kind === 'datagram').length >= MAX_DATAGRAMS) return;
    events.push(event);
    wake?.();
  };
  socket.on('message', (datagram) => push({ kind: 'datagram', datagram }));
  // An ICMP error reaches a connected socket on its next receive or, if none is pending, its next send.
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNREFUSED') push({ kind: 'refused' });
    else if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') push({ kind: 'unreachable', reason: err.code === 'EHOSTUNREACH' ? 'host-unreach' : 'net-unreach' });
    else push({ kind: 'socket-error', reason: `socket-error ${err.code ?? 'unknown'}` });
  };
  socket.on('error', onError);
  const entry = (state: PortStatus['state'], reason: string, identity: ServiceIdentity | null): UdpPortEntry => ({ port, transport: 'udp', state, reason, payload: payload.name, identity });
  try {
    // A socket that cannot be set up (no free port, no file descriptor) says nothing of the device.
    const setUp = await connect(socket, host, port).then(() => null, (err: NetError) => err);
    if (setUp) return entry('open|filtered', `socket-error ${setUp.message}`, null);
    // Without the second socket a TFTP answer goes unheard: the port is then open|filtered, which stays true.
    if (shared) side = await listenBeside(net, family, socket, host, (datagram) => push({ kind: 'datagram', datagram })).catch(() => null);
    const request = payload.build({ host, port });
    const started = Date.now();
    for (let attempt = 0; attempt <= retries; attempt++) {
      await send(socket, request, signal, onError);
      const sentAt = Date.now();
      const event = await next(() => sentAt + roundTrips.waitMs);
      if (event.kind === 'timeout') continue;
      if (attempt === 0) roundTrips.record(Date.now() - sentAt);
      if (event.kind === 'refused') return entry('closed', 'port-unreach', null);
      if (event.kind === 'unreachable') return entry('filtered', event.reason, null);
      if (event.kind === 'socket-error') return entry('open|filtered', event.reason, null);
      return entry('open', 'udp-response', await identify(event.datagram, request, started));
    }
    return entry('open|filtered', 'no-response', null);
  } finally {
    for (const s of [socket, side]) {
      try {
        s?.close();
      } catch {
        // Already closed.
      }
    }
  }

  async function identify(first: Buffer, request: Buffer, started: number): Promise<ServiceIdentity> {
    const seen = [first];
    let found = recognise(payload, first, request);
    const settleUntil = Date.now() + SETTLE_MS;
    while (!found && seen.length < MAX_DATAGRAMS) {
      const event = await next(() => settleUntil);
      if (event.kind !== 'datagram') break;
      seen.push(event.datagram);
      found = recognise(payload, event.datagram, request);
    }
    const answer = found ? seen[seen.length - 1]! : first;
    const recognition = found ?? unrecognised(first, request);
    return {
      port,
      transport: 'udp',
      ...recognition,
      auth: null,
      exchanges: [{ probe: payload.name, sent: excerpt(request), received: excerpt(answer) }],
      durationMs: Date.now() - started,
    };
  }

  /** The next event, or a timeout at `deadline()`, which may move while waiting. */
  async function next(deadline: () => number): Promise<Event> {
    for (;;) {
      const event = events.shift();
      if (event) return event;
      signal.throwIfAborted();
      const timeoutMs = Math.min(deadline() - Date.now(), RECHECK_MS);
      if (timeoutMs <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = null;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        wake = done;
      });
    }
  }
}

/** A recogniser that throws on bytes it did not foresee has not recognised them. */
function recognise(payload: UdpPayload, answer: Buffer, request: Buffer): Recognition | null {
  try {
    return payload.recognise(answer, request);
  } catch {
    return null;
  }
}

/** An answer no recogniser took: the port is open all the same (nmap's udp-response). */
function unrecognised(answer: Buffer, request: Buffer): Recognition {
  const echo = answer.equals(request);
  return recognised('unknown', null, {
    banner: echo ? 'echoes the probe back' : `${answer.length} bytes: ${excerpt(answer)}`,
    details: { 'udp.bytes': String(answer.length), ...(echo ? { 'udp.echo': 'true' } : {}) },
  });
}

/** Text protocols as text, binary ones as hex; bounded either way. */
function excerpt(bytes: Buffer): string {
  const head = bytes.subarray(0, EXCERPT_BYTES);
  const text = head.filter((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d).length >= head.length * 0.9;
  const shown = text ? printable(head, EXCERPT_BYTES * 2) : head.toString('hex');
  return bytes.length > EXCERPT_BYTES ? `${shown}…` : shown;
}

function connect(socket: UdpSocket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(new NetError('other', `cannot connect a UDP socket to ${host}:${port}: ${err.message}`));
    socket.once('error', fail);
    // Bound explicitly first, so that a second socket can share the port (reuseAddr) for TFTP.
    socket.bind(0, () => {
      socket.connect(port, host, () => {
        socket.off('error', fail);
        resolve();
      });
    });
  });
}

/** A socket on the connected one's address and port, hearing the host from any port (a TFTP server's fresh TID). */
function listenBeside(net: GuardedNetwork, family: 'udp4' | 'udp6', connected: UdpSocket, host: string, onDatagram: (d: Buffer) => void): Promise<UdpSocket> {
  const side = net.udpSocket(family, { reuseAddr: true });
  side.on('message', (datagram, from) => {
    if (from.address === host) onDatagram(datagram);
  });
  const { address, port } = connected.address();
  return new Promise((resolve, reject) => {
    side.once('error', (err) => {
      side.close();
      reject(err);
    });
    side.bind(port, address, () => resolve(side));
  });
}

/** Sends one datagram; a send error goes to `onError`, as a receive error does, for the wait to see. */
function send(socket: UdpSocket, datagram: Buffer, signal: AbortSignal, onError: (err: NodeJS.ErrnoException) => void): Promise<void> {
  signal.throwIfAborted();
  return new Promise((resolve) => {
    socket.send(datagram, (err) => {
      if (err) onError(err);
      resolve();
    });
  });
}
