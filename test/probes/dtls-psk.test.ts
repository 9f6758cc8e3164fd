import { expect } from 'chai';
import { createSocket, type Socket } from 'node:dgram';
import { GuardedNetwork } from '../../harness/net/network.js';
import { coapGet, parseCoap } from '../../harness/probes/coap/wire.js';
import { probeDtlsPsk, type DtlsPskProbe, type DtlsPskResult } from '../../harness/probes/dtls/psk-handshake.js';
import { PSK_SUITES, open, seal } from '../../harness/probes/dtls/psk-keys.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { FakePskServer, type FakePskServerOptions } from '../support/dtls-psk-server.js';

const HOST = '127.0.61.10';
const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
const KEY = Buffer.from('fake-psk-key');

function probe(port: number, overrides: Partial<DtlsPskProbe> = {}): Promise<DtlsPskResult> {
  return probeDtlsPsk(net, { host: HOST, port, timeoutMs: 300, signal: new AbortController().signal, identity: 'hub-01', key: KEY, path: '/.well-known/core', ...overrides });
}

describe('DTLS-PSK record protection', () => {
  const keys = { key: Buffer.alloc(16, 7), fixedIv: Buffer.from([1, 2, 3, 4]) };
  const position = { type: 23, versionCode: 0xfefd, epoch: 1, sequence: 5 };
  for (const suite of PSK_SUITES) {
    it(`${suite.name}: opens what it sealed, and nothing tampered with or moved to another sequence number`, () => {
      const sealed = seal(suite, keys, position, Buffer.from('hello'));
      expect(sealed).to.have.length(8 + 5 + suite.tagLength);
      expect(open(suite, keys, position, sealed)?.toString()).to.equal('hello');
      const tampered = Buffer.from(sealed);
      tampered[9]! ^= 1;
      expect(open(suite, keys, position, tampered)).to.equal(null);
      expect(open(suite, keys, { ...position, sequence: 6 }, sealed)).to.equal(null);
      expect(open(suite, keys, position, sealed.subarray(0, 4))).to.equal(null);
    });
  }
});

describe('CoAP messages for the secured association', () => {
  it('builds a confirmable GET with one Uri-Path option a segment, which parses back', () => {
    const get = coapGet('/.well-known/core');
    expect(get.bytes.subarray(4 + get.token.length).toString('hex')).to.equal(`bb${Buffer.from('.well-known').toString('hex')}04${Buffer.from('core').toString('hex')}`);
    const parsed = parseCoap(get.bytes)!;
    expect(parsed).to.include({ type: 'confirmable', code: '0.01', messageId: get.messageId, contentFormat: null });
    expect(parsed.token.equals(get.token)).to.equal(true);
  });

  it('reads a long option, the Content-Format and the payload, and refuses what is not CoAP', () => {
    const long = Buffer.alloc(20, 0x61);
    const message = Buffer.concat([Buffer.from([0x60, 0x45, 0, 1]), Buffer.from([0xbd, 20 - 13]), long, Buffer.from([0x11, 40, 0xff]), Buffer.from('</a>')]);
    expect(parseCoap(message)).to.deep.include({ type: 'acknowledgement', code: '2.05', contentFormat: 40, payload: Buffer.from('</a>') });
    expect(parseCoap(Buffer.from([0x00, 0x45, 0, 1]))).to.equal(null);
    expect(parseCoap(Buffer.from([0x68, 0x45, 0, 1, 1]))).to.equal(null);
    expect(parseCoap(Buffer.from([0x60, 0x45, 0, 1, 0xed]))).to.equal(null);
  });
});

describe('DTLS-PSK probe against fake servers', function () {
  this.timeout(20000);
  const servers: FakePskServer[] = [];
  const peers: Socket[] = [];
  const start = async (options: Partial<FakePskServerOptions> = {}) => {
    const server = await FakePskServer.start({ host: HOST, key: KEY, cookie: true, coapPayload: '</sensor>;ct=0', ...options });
    servers.push(server);
    return server;
  };
  const peer = async (respond: (datagram: Buffer) => Buffer[]) => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
    socket.on('message', (d, from) => respond(d).forEach((r) => socket.send(r, from.port, from.address)));
    peers.push(socket);
    return socket.address().port;
  };
  afterEach(() => {
    servers.splice(0).forEach((s) => s.close());
    peers.splice(0).forEach((p) => p.close());
  });

  for (const [suite, ems] of [[0xc0a8, true], [0xc0a4, false], [0x00a8, true]] as const) {
    const name = PSK_SUITES.find((s) => s.code === suite)!.name;
    it(`completes ${name}${ems ? ' with' : ' without'} the extended master secret and reads the CoAP answer`, async () => {
      const server = await start({ suites: [suite], extendedMasterSecret: ems });
      const result = await probe(server.port);
      expect(result.outcome, JSON.stringify(result)).to.equal('completed');
      if (result.outcome !== 'completed') return;
      expect(result).to.include({ suite: name, identityHint: 'fake-hint' });
      expect(result.reply).to.deep.equal({ code: '2.05', contentFormat: 40, bytes: 14, excerpt: '</sensor>;ct=0' });
      // The close_notify went out sealed in epoch 1.
      expect(server.received.at(-1)!.readUInt16BE(3)).to.equal(1);
    });
  }

  it('takes silence after a Finished under a wrong key as a refusal, after sending the flight twice', async () => {
    const server = await start();
    const started = Date.now();
    const result = await probe(server.port, { key: Buffer.from('another-key') });
    expect(result).to.include({ outcome: 'refused', stage: 'finished', alert: null });
    expect(result.transcript[1]).to.equal('ClientKeyExchange (identity "hub-01"), ChangeCipherSpec, Finished → no ChangeCipherSpec or Finished (sent twice, 300 ms apart)');
    expect(server.received.filter((d) => d[0] === 22 && d[13] === 16)).to.have.length(2);
    expect(Date.now() - started).to.be.below(1500);
  });

  it('names the alert a server sends for a Finished it cannot authenticate', async () => {
    const server = await start({ alertOnBadFinished: 20 });
    const result = await probe(server.port, { key: Buffer.from('another-key') });
    expect(result).to.include({ outcome: 'refused', stage: 'finished', alert: 'bad_record_mac' });
  });

  it('reports a server that answers a Finished under a wrong key with its ChangeCipherSpec and Finished as going past it unverified', async () => {
    const server = await start({ ignoreClientFinished: true });
    const result = await probe(server.port, { key: Buffer.from('another-key') });
    expect(result).to.include({
      outcome: 'went-past-unverified-finished',
      suite: 'TLS_PSK_WITH_AES_128_CCM_8',
      detail: 'answered a Finished made with another key with an epoch-1 record (content type 22) that the agreed keys cannot open: it went on past a Finished it could not have verified',
    });
    expect(result.transcript[1]).to.equal('ClientKeyExchange (identity "hub-01"), ChangeCipherSpec, Finished → ChangeCipherSpec, epoch-1 record type 22 (cannot be opened)');
  });

  it('refuses at the hello when no PSK suite is agreed', async () => {
    const server = await start({ suites: [0xc02b] });
    const result = await probe(server.port);
    expect(result).to.include({ outcome: 'refused', stage: 'hello', alert: 'handshake_failure', detail: 'refused every PSK suite offered (alert handshake_failure)' });
  });

  it('is a protocol error when the server Finished does not verify', async () => {
    const server = await start({ forgeFinished: true });
    const result = await probe(server.port);
    expect(result).to.include({ outcome: 'error', failure: 'protocol', detail: 'sent a Finished that does not verify under the agreed keys' });
  });

  it('completes the handshake and says so when the CoAP GET gets no answer', async () => {
    const server = await start({ coapPayload: null });
    const result = await probe(server.port);
    expect(result.outcome).to.equal('completed');
    if (result.outcome === 'completed') expect(result.reply).to.deep.equal({ outcome: 'no-answer', detail: 'no CoAP answer to GET /.well-known/core over the secured association, sent twice, 300 ms apart' });
  });

  it('reports garbage as not DTLS and silence as silence, within the time that allows', async () => {
    const garbage = await peer(() => [Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]);
    expect(await probe(garbage)).to.include({ outcome: 'error', failure: 'not-dtls' });
    const heard: Buffer[] = [];
    const silent = await peer((d) => (heard.push(d), []));
    const started = Date.now();
    const result = await probe(silent);
    expect(result).to.include({ outcome: 'error', failure: 'silent', datagrams: 2 });
    // The same hello, retransmitted under a new record sequence number so that it is no replay.
    expect(heard.map((d) => d.readUIntBE(5, 6))).to.deep.equal([0, 1]);
    expect(heard[0]!.subarray(13).equals(heard[1]!.subarray(13))).to.equal(true);
    expect(Date.now() - started).to.be.below(1000);
  });

  it('stops reading a peer that floods DTLS records that never complete a flight', async () => {
    const flood = await peer(() => Array.from({ length: 70 }, () => Buffer.from('16fefd000000000000000000000100', 'hex')));
    const result = await probe(flood);
    expect(result).to.include({ outcome: 'error', failure: 'protocol', detail: 'more than 64 datagrams without a complete flight' });
  });
});
