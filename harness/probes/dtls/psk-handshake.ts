import { randomBytes } from 'node:crypto';
import type { GuardedNetwork } from '../../net/network.js';
import { NetError, type NetFailure } from '../../net/errors.js';
import { coapGet, parseCoap, type CoapMessage } from '../coap/wire.js';
import { dtlsClientHelloRecord } from '../tls/client-hello.js';
import { HANDSHAKE, TlsParseError, parseAlert, parseHelloVerifyRequest, parseServerHello, type Alert } from '../tls/server-messages.js';
import { DatagramChannel } from './datagram-channel.js';
import {
  PSK_SUITES,
  keyBlock,
  masterSecret,
  open,
  pskPremaster,
  seal,
  transcriptHash,
  verifyData,
  type DirectionKeys,
  type PskSuite,
} from './psk-keys.js';
import { HandshakeReassembler, type HandshakeMessage } from './reassembly.js';
import { encodeRecord, parseRecords, withSequence, type DtlsRecord } from './records.js';

export interface DtlsPskProbe {
  host: string;
  port: number;
  /** Per flight: an unanswered flight is sent once more, then given up. */
  timeoutMs: number;
  signal: AbortSignal;
  /** Sent in the clear in ClientKeyExchange. */
  identity: string;
  /** The key's bytes; they never leave this function, not even in the transcript. */
  key: Buffer;
  /** GET this CoAP path as application data once the handshake completes. */
  path: string | null;
}

export interface CoapOverDtlsAnswer {
  code: string;
  contentFormat: number | null;
  bytes: number;
  excerpt: string;
}

/** The answer to the CoAP GET sent over the secured association, or that none came. */
export type CoapReply = CoapOverDtlsAnswer | { outcome: 'no-answer'; detail: string };

interface Common {
  /** One line per flight, for the evidence: what was sent and what came back. */
  transcript: string[];
  datagrams: number;
}

export type DtlsPskResult =
  | (Common & { outcome: 'completed'; suite: string; identityHint: string | null; reply: CoapReply | null })
  /** hello: no PSK suite was agreed; finished: the server did not accept the keyed Finished (alert or silence). */
  | (Common & { outcome: 'refused'; stage: 'hello' | 'finished'; alert: string | null; detail: string; suite: string | null; identityHint: string | null })
  /**
   * The server answered our Finished with its ChangeCipherSpec or epoch-1 records our keys cannot open:
   * it went on past a Finished it could not have verified, since only the same key opens both.
   */
  | (Common & { outcome: 'went-past-unverified-finished'; detail: string; suite: string; identityHint: string | null })
  | (Common & { outcome: 'error'; failure: NetFailure | 'not-dtls' | 'silent'; detail: string });

const DTLS_1_2 = 0xfefd;
const CONTENT = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;
const MESSAGE = { clientKeyExchange: 16, finished: 20 } as const;
const EMS_EXTENSION = 0x0017;
/** Datagrams read for one flight at most. */
const MAX_DATAGRAMS = 64;
const EXCERPT = 128;

/**
 * A complete DTLS 1.2 PSK handshake (RFC 4279, RFC 6347) over a guarded UDP association: ClientHello
 * (again with the cookie after a HelloVerifyRequest), the server's flight to ServerHelloDone,
 * ClientKeyExchange with the identity, ChangeCipherSpec and an encrypted Finished, then the server's
 * Finished, verified. With `path`, one CoAP GET as application data. Every flight is sent at most twice
 * and read for at most MAX_DATAGRAMS datagrams, so the probe ends within a few timeouts.
 */
export async function probeDtlsPsk(net: GuardedNetwork, probe: DtlsPskProbe): Promise<DtlsPskResult> {
  const tally = { sent: 0 };
  const channel = new DatagramChannel(net, probe.host, probe.port, probe.signal, tally);
  const transcript: string[] = [];
  const common = () => ({ transcript, datagrams: tally.sent });
  try {
    return { ...(await handshake(channel, probe, transcript)), ...common() };
  } catch (err) {
    if (err instanceof NotDtls) return { outcome: 'error', failure: 'not-dtls', detail: err.message, ...common() };
    if (err instanceof TlsParseError) return { outcome: 'error', failure: 'protocol', detail: err.message, ...common() };
    if (err instanceof NetError) return { outcome: 'error', failure: err.failure, detail: err.message, ...common() };
    throw err;
  } finally {
    channel.close();
  }
}

class NotDtls extends Error {}

type Outcome =
  | { outcome: 'completed'; suite: string; identityHint: string | null; reply: CoapReply | null }
  | { outcome: 'refused'; stage: 'hello' | 'finished'; alert: string | null; detail: string; suite: string | null; identityHint: string | null }
  | { outcome: 'went-past-unverified-finished'; detail: string; suite: string; identityHint: string | null }
  | { outcome: 'error'; failure: 'silent'; detail: string };

async function handshake(channel: DatagramChannel, probe: DtlsPskProbe, transcript: string[]): Promise<Outcome> {
  const wire = new Wire();
  const random = randomBytes(32);
  const suites = PSK_SUITES.map((s) => s.code);
  const hello = (cookie?: Buffer, messageSeq = 0) =>
    dtlsClientHelloRecord({ version: 'DTLSv1.2', cipherSuites: suites, serverName: null, random, ...(cookie ? { cookie } : {}) }, messageSeq, 0);
  const offered = `ClientHello DTLS 1.2 (${PSK_SUITES.map((s) => s.name).join(', ')})`;

  // Each send of a hello under a new record sequence number: a retransmission must not look like a replay (RFC 6347 §4.1.2.6).
  const resend = (record: Buffer) => () => withSequence(record, wire.nextSeq(0));
  let messages = new HandshakeReassembler();
  let clientHello = hello();
  let answer = await flight(channel, resend(clientHello), probe.timeoutMs, (r) => readHello(r, messages));
  if (answer.kind === 'silent') return { outcome: 'error', failure: 'silent', detail: `no answer to a DTLS 1.2 ClientHello, sent twice, ${probe.timeoutMs} ms apart` };
  if (answer.kind === 'alert') return refusedAtHello(transcript, offered, answer.alert);
  let helloLine = offered;
  const verify = messages.find(HANDSHAKE.helloVerifyRequest);
  if (verify && !messages.find(HANDSHAKE.serverHello)) {
    const { cookie } = parseHelloVerifyRequest(verify.body);
    helloLine += ` → HelloVerifyRequest (cookie ${cookie.length} bytes) → ClientHello with cookie`;
    messages = new HandshakeReassembler();
    clientHello = hello(cookie, 1);
    answer = await flight(channel, resend(clientHello), probe.timeoutMs, (r) => readHello(r, messages, verify.messageSeq + 1));
    if (answer.kind === 'silent') {
      transcript.push(`${helloLine} → no answer`);
      return { outcome: 'error', failure: 'silent', detail: 'sent a HelloVerifyRequest, then did not answer the hello with its cookie' };
    }
    if (answer.kind === 'alert') return refusedAtHello(transcript, helloLine, answer.alert);
  }

  const serverHelloMessage = messages.find(HANDSHAKE.serverHello)!;
  const done = messages.find(HANDSHAKE.serverHelloDone, serverHelloMessage.messageSeq)!;
  const serverHello = parseServerHello(serverHelloMessage.body);
  const suite = PSK_SUITES.find((s) => s.code === serverHello.cipherSuite);
  if (serverHello.versionCode !== DTLS_1_2 || !suite) {
    transcript.push(`${helloLine} → ServerHello 0x${serverHello.versionCode.toString(16)} suite 0x${serverHello.cipherSuite.toString(16)}`);
    throw new TlsParseError(`chose version 0x${serverHello.versionCode.toString(16)} and suite 0x${serverHello.cipherSuite.toString(16)}, which were not offered`);
  }
  const serverMessages: HandshakeMessage[] = [];
  for (let seq = serverHelloMessage.messageSeq; seq <= done.messageSeq; seq++) serverMessages.push(messages.message(seq)!);
  const keyExchange = serverMessages.find((m) => m.type === HANDSHAKE.serverKeyExchange);
  const identityHint = keyExchange ? pskIdentityHint(keyExchange.body) : null;
  transcript.push(`${helloLine} → ServerHello ${suite.name}${keyExchange ? `, ServerKeyExchange (identity hint ${JSON.stringify(identityHint)})` : ''}, ServerHelloDone`);

  // The handshake hash covers the hello that was answered and everything after it, each as one whole fragment (RFC 6347 §4.2.6).
  const handshakeLog: Buffer[] = [clientHello.subarray(13), ...serverMessages.map(wholeMessage)];
  let messageSeq = clientHello.readUInt16BE(13 + 4) + 1;
  const identity = Buffer.from(probe.identity, 'utf8');
  const keyExchangeMessage = handshakeMessage(MESSAGE.clientKeyExchange, messageSeq++, vec16(identity));
  handshakeLog.push(keyExchangeMessage);
  const serverRandom = serverHelloMessage.body.subarray(2, 34);
  const master = masterSecret({
    premaster: pskPremaster(probe.key),
    clientRandom: random,
    serverRandom,
    sessionHash: serverHello.extensions.includes(EMS_EXTENSION) ? transcriptHash(handshakeLog) : null,
  });
  const keys = keyBlock(master, random, serverRandom);
  const finished = handshakeMessage(MESSAGE.finished, messageSeq++, verifyData(master, 'client', transcriptHash(handshakeLog)));
  handshakeLog.push(finished);
  const expected = verifyData(master, 'server', transcriptHash(handshakeLog));

  const finishedLine = `ClientKeyExchange (identity ${JSON.stringify(probe.identity)}), ChangeCipherSpec, Finished`;
  const secured = new SecuredChannel(suite, keys, wire);
  const seen: { finished: Buffer | null; changeCipherSpec: boolean; unopened: number | null } = { finished: null, changeCipherSpec: false, unopened: null };
  const last = await flight(
    channel,
    () => Buffer.concat([wire.record(CONTENT.handshake, 0, keyExchangeMessage), wire.record(CONTENT.changeCipherSpec, 0, Buffer.from([1])), secured.seal(CONTENT.handshake, finished)]),
    probe.timeoutMs,
    (r) => {
      if (r.epoch === 0 && r.type === CONTENT.changeCipherSpec) {
        seen.changeCipherSpec = true;
        return 'more';
      }
      // A server still in epoch 0 alerts in the clear; one already in epoch 1 under its keys.
      const plain = r.epoch === 0 ? r.fragment : secured.open(r);
      if (!plain && r.epoch === 1) {
        // A server enters epoch 1 only by sending its own ChangeCipherSpec, i.e. after accepting our Finished.
        seen.unopened = r.type;
        return 'done';
      }
      if (!plain) return 'more';
      if (r.type === CONTENT.alert) return parseAlert(plain);
      if (r.epoch !== 1 || r.type !== CONTENT.handshake || plain[0] !== MESSAGE.finished || plain.length < 12) return 'more';
      seen.finished = plain.subarray(12);
      return 'done';
    },
  );
  if (last.kind === 'alert') {
    transcript.push(`${finishedLine} → alert ${last.alert.name}`);
    return { outcome: 'refused', stage: 'finished', alert: last.alert.name, detail: `answered the Finished with alert ${last.alert.name}`, suite: suite.name, identityHint };
  }
  if (seen.unopened !== null || (seen.changeCipherSpec && !seen.finished)) {
    const what = seen.unopened !== null ? `an epoch-1 record (content type ${seen.unopened}) that the agreed keys cannot open` : 'its ChangeCipherSpec';
    transcript.push(`${finishedLine} → ${seen.changeCipherSpec ? 'ChangeCipherSpec, ' : ''}${seen.unopened !== null ? `epoch-1 record type ${seen.unopened} (cannot be opened)` : 'no Finished'}`);
    return { outcome: 'went-past-unverified-finished', detail: `answered a Finished made with another key with ${what}: it went on past a Finished it could not have verified`, suite: suite.name, identityHint };
  }
  if (last.kind === 'silent' || !seen.finished) {
    transcript.push(`${finishedLine} → no ChangeCipherSpec or Finished (sent twice, ${probe.timeoutMs} ms apart)`);
    return { outcome: 'refused', stage: 'finished', alert: null, detail: 'did not answer the Finished: a DTLS server drops records it cannot authenticate', suite: suite.name, identityHint };
  }
  if (!seen.finished.equals(expected)) throw new TlsParseError('sent a Finished that does not verify under the agreed keys');
  transcript.push(`${finishedLine} → ChangeCipherSpec, Finished (verified)`);

  const reply = probe.path === null ? null : await coapExchange(channel, secured, probe, transcript);
  // Courtesy only: frees the server's association at once.
  await channel.send(secured.seal(CONTENT.alert, Buffer.from([1, 0]))).catch(() => undefined);
  return { outcome: 'completed', suite: suite.name, identityHint, reply };
}

function refusedAtHello(transcript: string[], line: string, alert: Alert): Outcome {
  transcript.push(`${line} → alert ${alert.name}`);
  return { outcome: 'refused', stage: 'hello', alert: alert.name, detail: `refused every PSK suite offered (alert ${alert.name})`, suite: null, identityHint: null };
}

async function coapExchange(channel: DatagramChannel, secured: SecuredChannel, probe: DtlsPskProbe, transcript: string[]): Promise<CoapReply> {
  const request = coapGet(probe.path!);
  const seen: { response: CoapMessage | null } = { response: null };
  const answer = await flight(channel, () => secured.seal(CONTENT.applicationData, request.bytes), probe.timeoutMs, (r) => {
    if (r.type !== CONTENT.applicationData || r.epoch !== 1) return 'more';
    const plain = secured.open(r);
    const message = plain && parseCoap(plain);
    // An empty ACK announces a separate response; only the message with our token answers the GET.
    if (!message || !message.token.equals(request.token) || message.code === '0.00') return 'more';
    seen.response = message;
    return 'done';
  });
  const line = `CoAP CON GET ${probe.path} as application data`;
  const got = seen.response;
  if (answer.kind !== 'done' || !got) {
    transcript.push(`${line} → no answer`);
    return { outcome: 'no-answer', detail: `no CoAP answer to GET ${probe.path} over the secured association, sent twice, ${probe.timeoutMs} ms apart` };
  }
  const text = got.payload.subarray(0, EXCERPT).toString('utf8');
  const excerpt = got.payload.length > EXCERPT ? `${text}…` : text;
  transcript.push(`${line} → ${got.code}${got.contentFormat === null ? '' : ` Content-Format ${got.contentFormat}`} ${JSON.stringify(excerpt)}`);
  return { code: got.code, contentFormat: got.contentFormat, bytes: got.payload.length, excerpt };
}

/** Record sequence numbers per epoch, and the record header. */
class Wire {
  readonly #seq = [0, 0];
  nextSeq(epoch: 0 | 1): number {
    return this.#seq[epoch]!++;
  }
  record(type: number, epoch: 0 | 1, fragment: Buffer, sequence = this.nextSeq(epoch)): Buffer {
    return encodeRecord({ type, versionCode: DTLS_1_2, epoch, sequence, fragment });
  }
}

/** Epoch 1 both ways: our records sealed under the client keys, the server's opened under its own. */
class SecuredChannel {
  constructor(readonly suite: PskSuite, readonly keys: { client: DirectionKeys; server: DirectionKeys }, readonly wire: Wire) {}
  seal(type: number, plaintext: Buffer): Buffer {
    const sequence = this.wire.nextSeq(1);
    return this.wire.record(type, 1, seal(this.suite, this.keys.client, { type, versionCode: DTLS_1_2, epoch: 1, sequence }, plaintext), sequence);
  }
  open(record: DtlsRecord): Buffer | null {
    return open(this.suite, this.keys.server, { type: record.type, versionCode: record.versionCode, epoch: record.epoch, sequence: record.sequence }, record.fragment);
  }
}

type FlightEnd = { kind: 'done' } | { kind: 'alert'; alert: Alert } | { kind: 'silent' };

/** Feeds the server's first flight into `messages` until ServerHelloDone (with everything since ServerHello) or a HelloVerifyRequest. */
function readHello(record: DtlsRecord, messages: HandshakeReassembler, fromSeq = 0): 'done' | 'more' | Alert {
  if (record.epoch !== 0) return 'more';
  if (record.type === CONTENT.alert) return parseAlert(record.fragment);
  if (record.type !== CONTENT.handshake) return 'more';
  messages.add(record.fragment);
  const hello = messages.find(HANDSHAKE.serverHello, fromSeq);
  if (!hello) {
    const verify = messages.find(HANDSHAKE.helloVerifyRequest, fromSeq);
    if (verify && fromSeq > 0) throw new TlsParseError('sent a second HelloVerifyRequest: it refused the cookie it had just issued');
    return verify ? 'done' : 'more';
  }
  const done = messages.find(HANDSHAKE.serverHelloDone, hello.messageSeq);
  if (!done) return 'more';
  for (let seq = hello.messageSeq; seq < done.messageSeq; seq++) if (!messages.message(seq)) return 'more';
  return 'done';
}

/**
 * Sends what `build` makes and reads records until `take` says done or reports an alert; unanswered,
 * the flight is built anew (fresh record sequence numbers) and sent once more (RFC 6347 §4.2.4).
 */
async function flight(channel: DatagramChannel, build: () => Buffer, timeoutMs: number, take: (record: DtlsRecord) => 'done' | 'more' | Alert): Promise<FlightEnd> {
  let retransmitted = false;
  let heard = false;
  await channel.send(build());
  let deadline = Date.now() + timeoutMs;
  for (let received = 0; received < MAX_DATAGRAMS; ) {
    const datagram = await channel.receive(deadline - Date.now());
    if (datagram === 'timeout') {
      if (retransmitted) return { kind: 'silent' };
      retransmitted = true;
      await channel.send(build());
      deadline = Date.now() + timeoutMs;
      continue;
    }
    received++;
    const records = parseRecords(datagram);
    if (!records) {
      if (!heard) throw new NotDtls(`answered with ${datagram.length} bytes that are not DTLS records: ${datagram.subarray(0, 16).toString('hex')}`);
      continue;
    }
    heard = true;
    for (const r of records) {
      const result = take(r);
      if (result === 'done') return { kind: 'done' };
      if (result !== 'more') return { kind: 'alert', alert: result };
    }
  }
  throw new TlsParseError(`more than ${MAX_DATAGRAMS} datagrams without a complete flight`);
}

/** A handshake message as one whole fragment: the form the handshake hash takes it in. */
function handshakeMessage(type: number, messageSeq: number, body: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = type;
  header.writeUIntBE(body.length, 1, 3);
  header.writeUInt16BE(messageSeq, 4);
  header.writeUIntBE(0, 6, 3);
  header.writeUIntBE(body.length, 9, 3);
  return Buffer.concat([header, body]);
}

function wholeMessage(message: HandshakeMessage): Buffer {
  return handshakeMessage(message.type, message.messageSeq, message.body);
}

function vec16(body: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length);
  return Buffer.concat([length, body]);
}

/** RFC 4279 §2: a PSK ServerKeyExchange is just the identity hint. */
function pskIdentityHint(body: Buffer): string | null {
  if (body.length < 2) return null;
  const length = body.readUInt16BE(0);
  return body.length >= 2 + length ? body.subarray(2, 2 + length).toString('utf8') : null;
}
