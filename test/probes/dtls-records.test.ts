import { expect } from 'chai';
import { HandshakeReassembler, MAX_MESSAGE_BYTES } from '../../harness/probes/dtls/reassembly.js';
import { closeNotifyRecord, parseRecords, withSequence } from '../../harness/probes/dtls/records.js';
import { TlsParseError } from '../../harness/probes/tls/server-messages.js';
import { dtlsRecord, handshakeFragment } from '../support/dtls-wire.js';

describe('DTLS records', () => {
  it('splits a datagram into its records, with epoch, sequence and version', () => {
    const datagram = Buffer.concat([dtlsRecord(22, 0xfefd, 0, 1, Buffer.from('aa', 'hex')), dtlsRecord(21, 0xfeff, 1, 0x0102030405, Buffer.from('0228', 'hex'))]);
    expect(parseRecords(datagram)).to.deep.equal([
      { type: 22, versionCode: 0xfefd, epoch: 0, sequence: 1, fragment: Buffer.from('aa', 'hex') },
      { type: 21, versionCode: 0xfeff, epoch: 1, sequence: 0x0102030405, fragment: Buffer.from('0228', 'hex') },
    ]);
  });

  it('is null for a datagram that does not start with a DTLS record: a CoAP Reset, a TLS record, a short read', () => {
    expect(parseRecords(Buffer.from('70000000', 'hex'))).to.equal(null);
    expect(parseRecords(dtlsRecord(22, 0x0303, 0, 0, Buffer.alloc(4)))).to.equal(null);
    expect(parseRecords(dtlsRecord(22, 0xfefd, 0, 0, Buffer.alloc(4)).subarray(0, 15))).to.equal(null);
    expect(parseRecords(dtlsRecord(99, 0xfefd, 0, 0, Buffer.alloc(4)))).to.equal(null);
  });

  it('drops trailing bytes that do not form a record', () => {
    const datagram = Buffer.concat([dtlsRecord(22, 0xfefd, 0, 7, Buffer.from('01', 'hex')), Buffer.from('deadbeef', 'hex')]);
    expect(parseRecords(datagram)!.map((r) => r.sequence)).to.deep.equal([7]);
  });

  it('renumbers a record for retransmission and leaves the original alone', () => {
    const original = dtlsRecord(22, 0xfeff, 0, 0, Buffer.from('0102', 'hex'));
    const copy = withSequence(original, 5);
    expect(parseRecords(copy)![0]!.sequence).to.equal(5);
    expect(parseRecords(original)![0]!.sequence).to.equal(0);
    expect(copy.subarray(13)).to.deep.equal(original.subarray(13));
  });

  it('writes a warning close_notify in epoch 0', () => {
    expect(closeNotifyRecord(0xfefd, 3).toString('hex')).to.equal('15fefd000000000000000300020100');
  });
});

describe('DTLS handshake reassembly', () => {
  const body = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff));

  it('reassembles fragments that arrive out of order, overlapping and duplicated', () => {
    const messages = new HandshakeReassembler();
    messages.add(handshakeFragment(11, 2, body, 200, 100));
    messages.add(handshakeFragment(11, 2, body, 0, 120));
    expect(messages.message(2)).to.equal(undefined);
    messages.add(handshakeFragment(11, 2, body, 0, 120));
    messages.add(handshakeFragment(11, 2, body, 100, 150));
    expect(messages.message(2)).to.deep.equal({ type: 11, messageSeq: 2, body });
  });

  it('reads several fragments from one record and finds messages by type from a message_seq on', () => {
    const messages = new HandshakeReassembler();
    messages.add(Buffer.concat([handshakeFragment(3, 0, Buffer.from('fefd00', 'hex')), handshakeFragment(2, 1, Buffer.from('feff', 'hex')), handshakeFragment(3, 2, Buffer.from('feff01aa', 'hex'))]));
    expect(messages.find(2)!.body.toString('hex')).to.equal('feff');
    expect(messages.find(3)!.messageSeq).to.equal(0);
    expect(messages.find(3, 1)!.messageSeq).to.equal(2);
    expect(messages.find(14)).to.equal(undefined);
  });

  it('ignores a retransmitted copy of a complete message, but not one that contradicts it', () => {
    const messages = new HandshakeReassembler();
    messages.add(handshakeFragment(2, 1, body));
    messages.add(handshakeFragment(2, 1, body, 0, 10));
    expect(() => messages.add(handshakeFragment(11, 1, body))).to.throw(TlsParseError, 'handshake message 1 changed type or length');
  });

  it('refuses a fragment that runs past its message, a truncated one, and a message over the size bound', () => {
    const messages = new HandshakeReassembler();
    const past = handshakeFragment(11, 0, body, 250, 50);
    past.writeUIntBE(280, 6, 3);
    expect(() => messages.add(past)).to.throw(TlsParseError, 'runs past its 300 bytes');
    expect(() => messages.add(handshakeFragment(11, 0, body).subarray(0, 50))).to.throw(TlsParseError, 'is truncated');
    const huge = handshakeFragment(11, 0, Buffer.alloc(10));
    huge.writeUIntBE(MAX_MESSAGE_BYTES + 1, 1, 3);
    expect(() => messages.add(huge)).to.throw(TlsParseError, `announces ${MAX_MESSAGE_BYTES + 1} bytes`);
  });

  it('holds at most 16 messages per flight', () => {
    const messages = new HandshakeReassembler();
    for (let seq = 0; seq < 16; seq++) messages.add(handshakeFragment(22, seq, body, 0, 10));
    expect(() => messages.add(handshakeFragment(22, 16, body, 0, 10))).to.throw(TlsParseError, 'more than 16 handshake messages');
  });
});
