import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { PSK_SUITES, keyBlock, masterSecret, open, pskPremaster, seal, transcriptHash, verifyData, type DirectionKeys, type PskSuite } from '../../harness/probes/dtls/psk-keys.js';
import { parseRecords } from '../../harness/probes/dtls/records.js';
import { dtlsRecord, handshakeFragment } from './dtls-wire.js';

/**
 * An in-process DTLS 1.2 PSK server for the probe's unit tests: one association at a time, the key
 * schedule from harness/probes/dtls/psk-keys.ts (real libcoap checks that against OpenSSL), and knobs
 * for the behaviours a hostile or odd device shows.
 */
export interface FakePskServerOptions {
  host: string;
  key: Buffer;
  /** Its suites by preference; it picks the first the client offers. Default CCM_8 only. */
  suites?: number[];
  cookie?: boolean;
  extendedMasterSecret?: boolean;
  /** Answers a Finished it cannot authenticate with this alert instead of silence. */
  alertOnBadFinished?: number;
  /** Answers any Finished, even one it cannot open, with its ChangeCipherSpec and Finished: it never checks the key. */
  ignoreClientFinished?: boolean;
  /** Sends a Finished with the wrong verify_data. */
  forgeFinished?: boolean;
  /** CoAP payload of its answer to any GET; null: it never answers application data. */
  coapPayload?: string | null;
}

const DTLS12 = 0xfefd;
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);

interface Association {
  clientRandom: Buffer;
  serverRandom: Buffer;
  suite: PskSuite;
  ems: boolean;
  log: Buffer[];
  nextMessageSeq: number;
  keys?: { client: DirectionKeys; server: DirectionKeys };
  epoch1Seq: number;
}

export class FakePskServer {
  readonly received: Buffer[] = [];
  #association: Association | null = null;
  #epoch0Seq = 0;
  private constructor(readonly socket: Socket, readonly port: number, readonly options: FakePskServerOptions) {}

  static async start(options: FakePskServerOptions): Promise<FakePskServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, options.host, resolve));
    const server = new FakePskServer(socket, socket.address().port, options);
    socket.on('message', (datagram, from) => {
      server.received.push(datagram);
      for (const reply of server.#answer(datagram)) socket.send(reply, from.port, from.address);
    });
    return server;
  }

  close(): void {
    this.socket.close();
  }

  #answer(datagram: Buffer): Buffer[] {
    const records = parseRecords(datagram) ?? [];
    const out: Buffer[] = [];
    for (const r of records) {
      if (r.epoch === 0 && r.type === 22 && r.fragment[0] === 1) out.push(...this.#hello(r.fragment));
      else if (r.epoch === 0 && r.type === 22 && r.fragment[0] === 16 && this.#association) this.#keyExchange(r.fragment);
      else if (r.epoch === 1 && this.#association?.keys) out.push(...this.#secured(r.type, r.versionCode, r.sequence, r.fragment));
    }
    return out;
  }

  #hello(message: Buffer): Buffer[] {
    const body = message.subarray(12);
    const random = body.subarray(2, 34);
    const cookieAt = 35 + body[34]!;
    const cookie = body.subarray(cookieAt + 1, cookieAt + 1 + body[cookieAt]!);
    const messageSeq = message.readUInt16BE(4);
    if (this.options.cookie && cookie.length === 0) {
      return [dtlsRecord(22, 0xfeff, 0, this.#epoch0Seq++, handshakeFragment(3, messageSeq, Buffer.concat([u16(0xfeff), Buffer.from([8]), randomBytes(8)])))];
    }
    const suitesAt = cookieAt + 1 + cookie.length;
    const offered: number[] = [];
    for (let i = 0; i < body.readUInt16BE(suitesAt); i += 2) offered.push(body.readUInt16BE(suitesAt + 2 + i));
    const code = (this.options.suites ?? [0xc0a8]).find((s) => offered.includes(s));
    const suite = PSK_SUITES.find((s) => s.code === code);
    if (!suite) return [dtlsRecord(21, DTLS12, 0, this.#epoch0Seq++, Buffer.from([2, 40]))];
    const serverRandom = randomBytes(32);
    const ems = this.options.extendedMasterSecret ?? true;
    const extensions = ems ? Buffer.concat([u16(4), u16(0x0017), u16(0)]) : Buffer.alloc(0);
    const serverHello = Buffer.concat([u16(DTLS12), serverRandom, Buffer.from([0]), u16(suite.code), Buffer.from([0]), extensions]);
    const hint = Buffer.from('fake-hint');
    const messages = [handshakeFragment(2, messageSeq, serverHello), handshakeFragment(12, messageSeq + 1, Buffer.concat([u16(hint.length), hint])), handshakeFragment(14, messageSeq + 2, Buffer.alloc(0))];
    this.#association = { clientRandom: Buffer.from(random), serverRandom, suite, ems, log: [Buffer.from(message), ...messages], nextMessageSeq: messageSeq + 3, epoch1Seq: 0 };
    return [Buffer.concat(messages.map((m) => dtlsRecord(22, DTLS12, 0, this.#epoch0Seq++, m)))];
  }

  /** Any identity is taken: the fake holds one key, as coap-server -k does. A retransmitted flight starts over. */
  #keyExchange(message: Buffer): void {
    const a = this.#association!;
    a.log = a.log.filter((m) => m[0] !== 16 && m[0] !== 20);
    a.log.push(Buffer.from(message));
    a.keys = keyBlock(this.#master(), a.clientRandom, a.serverRandom);
  }

  #secured(type: number, versionCode: number, sequence: number, fragment: Buffer): Buffer[] {
    const a = this.#association!;
    const plain = open(a.suite, a.keys!.client, { type, versionCode, epoch: 1, sequence }, fragment);
    if (!plain && this.options.ignoreClientFinished && type === 22) return [this.#changeCipherSpecAndFinished(randomBytes(12))];
    if (!plain) return this.options.alertOnBadFinished === undefined ? [] : [dtlsRecord(21, DTLS12, 0, this.#epoch0Seq++, Buffer.from([2, this.options.alertOnBadFinished]))];
    if (type === 22) return this.#finished(plain);
    if (type !== 23 || this.options.coapPayload === null || this.options.coapPayload === undefined) return [];
    const tokenLength = plain[0]! & 0x0f;
    // A piggybacked ACK 2.05 with the request's message ID and token, Content-Format 40.
    const reply = Buffer.concat([Buffer.from([0x60 | tokenLength, 0x45]), plain.subarray(2, 4), plain.subarray(4, 4 + tokenLength), Buffer.from([0xc1, 40, 0xff]), Buffer.from(this.options.coapPayload)]);
    return [this.#seal(23, reply)];
  }

  #finished(plain: Buffer): Buffer[] {
    const a = this.#association!;
    a.log.push(plain);
    const expected = verifyData(this.#master(), 'client', transcriptHash(a.log.slice(0, -1)));
    if (!plain.subarray(12).equals(expected)) return [];
    const verify = this.options.forgeFinished ? randomBytes(12) : verifyData(this.#master(), 'server', transcriptHash(a.log));
    return [this.#changeCipherSpecAndFinished(verify)];
  }

  #changeCipherSpecAndFinished(verify: Buffer): Buffer {
    return Buffer.concat([dtlsRecord(20, DTLS12, 0, this.#epoch0Seq++, Buffer.from([1])), this.#seal(22, handshakeFragment(20, this.#association!.nextMessageSeq + 2, verify))]);
  }

  #seal(type: number, plaintext: Buffer): Buffer {
    const a = this.#association!;
    const sequence = a.epoch1Seq++;
    return dtlsRecord(type, DTLS12, 1, sequence, seal(a.suite, a.keys!.server, { type, versionCode: DTLS12, epoch: 1, sequence }, plaintext));
  }

  #master(): Buffer {
    const a = this.#association!;
    // The session hash covers the log through ClientKeyExchange: everything before the client's Finished.
    const throughKeyExchange = a.log.slice(0, a.log.findIndex((m) => m[0] === 16) + 1);
    return masterSecret({ premaster: pskPremaster(this.options.key), clientRandom: a.clientRandom, serverRandom: a.serverRandom, sessionHash: a.ems ? transcriptHash(throughKeyExchange) : null });
  }
}
