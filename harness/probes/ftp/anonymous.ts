import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError, NetError, type NetFailure } from '../../net/errors.js';
import { exchangeDeadline } from '../telnet/deadline.js';
import { FtpControl, type TimedReply } from './control.js';

export interface FtpAnonymousProbe {
  host: string;
  port: number;
  /** Implicit FTPS: TLS from the first byte on the control connection, and PROT P for the listing. */
  tls: boolean;
  signal: AbortSignal;
  timeoutMs: number;
}

/** What an anonymous login showed, and the root listing when the login was accepted. */
export interface FtpAnonymousObservation {
  /** accepted: 230; refused: 530; other: any other reply; error: no reply at all. */
  login: 'accepted' | 'refused' | 'other' | 'error';
  /** The reply that decided the login, or what went wrong. */
  detail: string;
  failure: NetFailure | null;
  /** The root listing's lines (capped) when one came back over a data connection; null when none did. */
  listing: string[] | null;
  /** Why no listing came back after an accepted login. */
  listingFailure: string | null;
  sent: string;
  received: string;
  rawListing: Buffer;
}

/** RFC 1635: the anonymous account, and the customary password that is not one. */
export const ANONYMOUS = { username: 'anonymous', password: 'ftp' } as const;

const LISTING_LIMIT = 64 * 1024;
const LISTING_LINES = 50;

/** The data port of a 227 "(h1,h2,h3,h4,p1,p2)" or a 229 "(|||port|)" reply. */
function passivePort(reply: TimedReply): number | null {
  const text = reply.lines.join(' ');
  if (reply.code === 229) {
    const m = /\(([^\d\s])\1\1(\d{1,5})\1\)/.exec(text);
    return m ? Number(m[2]) : null;
  }
  const m = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(text);
  return m ? Number(m[5]) * 256 + Number(m[6]) : null;
}

/** Collects a data connection until the server closes it, capped; resolves with what came. */
function collect(data: Duplex, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: () => void) => {
      signal.removeEventListener('abort', onAbort);
      data.destroy();
      outcome();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    data.on('data', (chunk: Buffer) => {
      if (size < LISTING_LIMIT) chunks.push(chunk.subarray(0, LISTING_LIMIT - size));
      size += chunk.length;
      if (size >= LISTING_LIMIT) finish(() => resolve(Buffer.concat(chunks)));
    });
    data.once('end', () => finish(() => resolve(Buffer.concat(chunks))));
    data.once('close', () => finish(() => resolve(Buffer.concat(chunks))));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Opens a passive data connection, always to the probed host: the address a 227 names is never trusted. */
async function openData(net: GuardedNetwork, control: FtpControl, probe: FtpAnonymousProbe, session: Buffer | undefined, signal: AbortSignal): Promise<Duplex | string> {
  control.send('PASV', 'PASV');
  let reply = await control.next(signal);
  if (reply.code !== 227) {
    control.send('EPSV', 'EPSV');
    reply = await control.next(signal);
  }
  const port = [227, 229].includes(reply.code) ? passivePort(reply) : null;
  if (!port) return `no passive data port: ${reply.lines.at(-1)}`;
  // FTPS servers (vsftpd's require_ssl_reuse) refuse a data connection that does not resume the control's session.
  return net.connectStream(probe.host, port, { tls: probe.tls, session, signal, timeoutMs: probe.timeoutMs });
}

/** After an accepted login: LIST of the working directory over a passive data connection. */
async function list(net: GuardedNetwork, control: FtpControl, probe: FtpAnonymousProbe, session: () => Buffer | undefined, signal: AbortSignal): Promise<{ listing: Buffer } | { failure: string }> {
  if (probe.tls) {
    // Without PROT P an FTPS server sends the listing in the clear, or refuses to.
    for (const command of ['PBSZ 0', 'PROT P']) {
      control.send(command, command);
      const reply = await control.next(signal);
      if (reply.code !== 200) return { failure: `${command} refused: ${reply.lines.at(-1)}` };
    }
  }
  const data = await openData(net, control, probe, session(), signal);
  if (typeof data === 'string') return { failure: data };
  const arriving = collect(data, signal);
  arriving.catch(() => undefined);
  control.send('LIST', 'LIST');
  const opening = await control.next(signal);
  if (opening.code !== 150 && opening.code !== 125) {
    data.destroy();
    return { failure: `LIST refused: ${opening.lines.at(-1)}` };
  }
  const listing = await arriving;
  const done = await control.next(signal);
  if (done.code !== 226 && done.code !== 250) return { failure: `LIST did not complete: ${done.lines.at(-1)}` };
  return { listing };
}

/**
 * USER anonymous and PASS ftp (RFC 1635) on one control connection; when the server lets that in, the root
 * listing over a passive data connection, then QUIT. The listing is what an anonymous visitor gets: the
 * proof that a login of no one opened the files.
 */
export async function probeFtpAnonymous(net: GuardedNetwork, probe: FtpAnonymousProbe): Promise<FtpAnonymousObservation> {
  const none = { listing: null, listingFailure: null, rawListing: Buffer.alloc(0) };
  let stream: Duplex;
  try {
    stream = await net.connectStream(probe.host, probe.port, { tls: probe.tls, signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return { login: 'error', detail: e.message, failure: e.failure, sent: '', received: '', ...none };
  }
  // A TLSSocket is a Socket: FtpControl reads and writes it the same way. TLS 1.3 hands its session over after the handshake.
  let session: Buffer | undefined;
  stream.on('session', (s: Buffer) => (session = s));
  const control = new FtpControl(stream as Socket);
  const deadline = exchangeDeadline(probe.signal, probe.timeoutMs);
  let awaiting = 'the greeting';
  try {
    let reply = await control.greeting(deadline.signal);
    if (reply.code === 220) {
      control.send(`USER ${ANONYMOUS.username}`, `USER ${ANONYMOUS.username}`);
      awaiting = 'the reply to USER';
      reply = await control.next(deadline.signal);
      if (reply.code === 331) {
        control.send(`PASS ${ANONYMOUS.password}`, `PASS ${ANONYMOUS.password}`);
        awaiting = 'the reply to PASS';
        reply = await control.next(deadline.signal);
      }
    }
    const detail = reply.lines.at(-1)!;
    const login = reply.code === 230 ? 'accepted' : reply.code === 530 ? 'refused' : 'other';
    if (login !== 'accepted') {
      if (reply.code !== 421) await control.quit(deadline.signal);
      return { login, detail, failure: null, sent: control.sent, received: control.received, ...none };
    }
    awaiting = 'the listing';
    const listed = await list(net, control, probe, () => session, deadline.signal).catch((err: unknown) => {
      const e = classifyNetError(err);
      return { failure: e.failure === 'timeout' ? `no complete listing within ${probe.timeoutMs} ms` : e.message };
    });
    await control.quit(deadline.signal);
    const observed = { login: 'accepted' as const, detail, failure: null, sent: control.sent, received: control.received };
    if ('failure' in listed) return { ...observed, ...none, listingFailure: listed.failure };
    const lines = listed.listing.toString('utf8').split(/\r?\n/).filter((l) => l !== '');
    return { ...observed, listing: lines.slice(0, LISTING_LINES), listingFailure: null, rawListing: listed.listing };
  } catch (err) {
    const e = err instanceof NetError ? err : classifyNetError(err);
    const detail = e.failure === 'timeout' ? `no ${awaiting.replace(/^the /, '')} within ${probe.timeoutMs} ms` : e.failure === 'closed' ? `connection closed while waiting for ${awaiting}` : e.message;
    return { login: 'error', detail, failure: e.failure, sent: control.sent, received: control.received, ...none };
  } finally {
    deadline.dispose();
    control.close();
  }
}
