import { randomBytes } from 'node:crypto';
import type { GuardedNetwork } from '../../net/network.js';
import { dtlsClientHelloRecord, type ClientHelloOptions } from '../tls/client-hello.js';
import {
  HANDSHAKE,
  TlsParseError,
  parseAlert,
  parseCertificateMessage,
  parseHelloVerifyRequest,
  parseServerHello,
  type Alert,
  type ServerHello,
} from '../tls/server-messages.js';
import { DatagramChannel, type DatagramTally } from './datagram-channel.js';
import { HandshakeReassembler } from './reassembly.js';
import { CONTENT, closeNotifyRecord, parseRecords, withSequence } from './records.js';

export interface DtlsEndpoint {
  host: string;
  port: number;
  /** Per flight and per send: a flight that stays unanswered is sent once more, then given up. */
  timeoutMs: number;
  signal: AbortSignal;
  tally: DatagramTally;
}

/** Whether the server asked for a cookie (HelloVerifyRequest, RFC 6347 §4.2.1) and how long it was. */
export interface CookieExchange {
  sent: boolean;
  cookieBytes: number | null;
}

export type DtlsAnswer =
  | { kind: 'server-hello'; serverHello: ServerHello; certificates: Buffer[] | null; cookie: CookieExchange }
  | { kind: 'alert'; alert: Alert; cookie: CookieExchange }
  /** Nothing usable came back; `cookie` is set when a HelloVerifyRequest came and then nothing more. */
  | { kind: 'silent'; detail: string; cookie: CookieExchange | null }
  | { kind: 'not-dtls'; received: Buffer };

/** Datagrams read for one flight; a server's first flight fits in a few, even fragmented. */
const MAX_DATAGRAMS = 64;
const NO_COOKIE: CookieExchange = { sent: false, cookieBytes: null };

/**
 * One handshake attempt on a fresh association: ClientHello, then the same hello with the cookie
 * if the server sends a HelloVerifyRequest, then the server's flight up to ServerHelloDone, from
 * which the ServerHello and Certificate are read. A close_notify then frees the server's state: a
 * constrained device may hold only a few half-open handshakes. Socket failures and aborts reject
 * with NetError; DTLS that does not parse rejects with TlsParseError.
 */
export async function dtlsHandshake(net: GuardedNetwork, endpoint: DtlsEndpoint, hello: ClientHelloOptions): Promise<DtlsAnswer> {
  const channel = new DatagramChannel(net, endpoint.host, endpoint.port, endpoint.signal, endpoint.tally);
  let recordSeq = 0;
  const nextSeq = () => recordSeq++;
  // The hello with the cookie must repeat the first one's random (RFC 6347 §4.2.1).
  const options: ClientHelloOptions = { ...hello, random: randomBytes(32) };
  try {
    const first = await flight(
      channel,
      dtlsClientHelloRecord(options, 0, nextSeq()),
      nextSeq,
      (m) => m.find(HANDSHAKE.helloVerifyRequest) !== undefined || serverFlight(m),
      endpoint.timeoutMs,
    );
    if (first.kind === 'not-dtls') return first;
    if (first.kind === 'silent') return { kind: 'silent', detail: `no answer to the ClientHello, sent twice, ${endpoint.timeoutMs} ms apart`, cookie: null };
    if (first.kind === 'alert') return { kind: 'alert', alert: first.alert, cookie: NO_COOKIE };

    let answer = first;
    let cookie = NO_COOKIE;
    const verify = first.messages.find(HANDSHAKE.helloVerifyRequest);
    if (verify) {
      const request = parseHelloVerifyRequest(verify.body);
      cookie = { sent: true, cookieBytes: request.cookie.length };
      // A copy of the same HelloVerifyRequest may still come (answering our retransmission); only a later one is a refusal.
      const refused = (m: HandshakeReassembler) => m.find(HANDSHAKE.helloVerifyRequest, verify.messageSeq + 1);
      const second = await flight(
        channel,
        dtlsClientHelloRecord({ ...options, cookie: request.cookie }, 1, nextSeq()),
        nextSeq,
        (m) => serverFlight(m) || refused(m) !== undefined,
        endpoint.timeoutMs,
      );
      if (second.kind === 'not-dtls') {
        throw new TlsParseError(`answered the hello with the cookie by bytes that are not DTLS: ${second.received.subarray(0, 16).toString('hex')}`);
      }
      if (second.kind === 'silent') return { kind: 'silent', detail: 'sent a HelloVerifyRequest, then did not answer the hello with its cookie', cookie };
      if (second.kind === 'alert') return { kind: 'alert', alert: second.alert, cookie };
      if (refused(second.messages)) throw new TlsParseError('sent a second HelloVerifyRequest: it refused the cookie it had just issued');
      answer = second;
    }

    const serverHelloMessage = answer.messages.find(HANDSHAKE.serverHello);
    if (!serverHelloMessage) return { kind: 'silent', detail: 'its answer to the ClientHello stayed incomplete', cookie };
    const serverHello = parseServerHello(serverHelloMessage.body);
    const certificate = answer.messages.find(HANDSHAKE.certificate);
    // Courtesy only: the observation stands whether or not the goodbye leaves.
    await channel.send(closeNotifyRecord(serverHello.versionCode, nextSeq())).catch(() => undefined);
    return { kind: 'server-hello', serverHello, certificates: certificate ? parseCertificateMessage(certificate.body) : null, cookie };
  } finally {
    channel.close();
  }
}

type Flight =
  | { kind: 'messages'; messages: HandshakeReassembler }
  | { kind: 'alert'; alert: Alert }
  | { kind: 'silent' }
  | { kind: 'not-dtls'; received: Buffer };

/** A ServerHello flight through ServerHelloDone with nothing missing in between. */
function serverFlight(messages: HandshakeReassembler): boolean {
  const hello = messages.find(HANDSHAKE.serverHello);
  const done = hello && messages.find(HANDSHAKE.serverHelloDone, hello.messageSeq);
  if (!hello || !done) return false;
  for (let seq = hello.messageSeq; seq < done.messageSeq; seq++) if (!messages.message(seq)) return false;
  return true;
}

/**
 * Sends `record` and reads the answering flight until `complete`, an alert, or silence; an
 * unanswered or incomplete flight is sent once more (RFC 6347 §4.2.4), under a new record sequence
 * number. A flight still incomplete after that is returned as it stands.
 */
async function flight(
  channel: DatagramChannel,
  record: Buffer,
  nextSeq: () => number,
  complete: (messages: HandshakeReassembler) => boolean,
  timeoutMs: number,
): Promise<Flight> {
  const messages = new HandshakeReassembler();
  let heard = false;
  let retransmitted = false;
  await channel.send(record);
  let deadline = Date.now() + timeoutMs;
  for (let received = 0; received < MAX_DATAGRAMS; ) {
    const datagram = await channel.receive(deadline - Date.now());
    if (datagram === 'timeout') {
      if (retransmitted) return heard ? { kind: 'messages', messages } : { kind: 'silent' };
      retransmitted = true;
      await channel.send(withSequence(record, nextSeq()));
      deadline = Date.now() + timeoutMs;
      continue;
    }
    received++;
    const records = parseRecords(datagram);
    if (!records) {
      if (!heard) return { kind: 'not-dtls', received: datagram };
      continue;
    }
    heard = true;
    for (const r of records) {
      // Anything past epoch 0 is encrypted and cannot be part of the answer to a hello.
      if (r.epoch !== 0) continue;
      if (r.type === CONTENT.alert) {
        if (messages.find(HANDSHAKE.serverHello)) return { kind: 'messages', messages };
        return { kind: 'alert', alert: parseAlert(r.fragment) };
      }
      if (r.type === CONTENT.handshake) messages.add(r.fragment);
    }
    if (complete(messages)) return { kind: 'messages', messages };
  }
  throw new TlsParseError(`more than ${MAX_DATAGRAMS} datagrams without a complete answer to the ClientHello`);
}
