import { expect } from 'chai';
import { clientHelloBody, tlsClientHelloRecord } from '../../harness/probes/tls/client-hello.js';
import { parseServerHello, parseServerKeyExchange, splitHandshakes, TlsParseError, parseAlert } from '../../harness/probes/tls/server-messages.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('TLS wire messages', () => {
  it('reads a TLS 1.2 ServerHello with renegotiation_info', () => {
    const body = hex(`0303 ${'11'.repeat(32)} 00 c02f 00 0005 ff01 0001 00`);
    expect(parseServerHello(body)).to.deep.include({
      version: 'TLSv1.2',
      cipherSuite: 0xc02f,
      compression: 0,
      helloRetryRequest: false,
      secureRenegotiation: true,
      keyShareGroup: null,
    });
  });

  it('reads the real version of a TLS 1.3 ServerHello and recognises a HelloRetryRequest', () => {
    const hrrRandom = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
    const body = hex(`0303 ${hrrRandom} 00 1302 00 000c 002b 0002 0304 0033 0002 001d`);
    expect(parseServerHello(body)).to.deep.include({ version: 'TLSv1.3', cipherSuite: 0x1302, helloRetryRequest: true, keyShareGroup: 0x1d });
  });

  it('rejects a truncated ServerHello with a parse error, not a crash', () => {
    expect(() => parseServerHello(hex('0303 1111'))).to.throw(TlsParseError, 'ServerHello is truncated');
  });

  it('reads the curve of an ECDHE key exchange and the size of a DHE prime', () => {
    expect(parseServerKeyExchange(hex('03 0017 41 04'), 'ecdhe')).to.deep.equal({ kind: 'ecdhe', group: 0x17 });
    const prime = Buffer.concat([Buffer.from([0x00, 0x7f]), Buffer.alloc(127, 0xff)]);
    const dhe = Buffer.concat([Buffer.from([0, prime.length]), prime, hex('0001 02')]);
    expect(parseServerKeyExchange(dhe, 'dhe')).to.deep.equal({ kind: 'dhe', primeBits: 1023 });
  });

  it('splits a handshake stream into complete messages and keeps the partial rest', () => {
    const stream = hex('0e 000000  0b 000003 aabbcc  02 000010 01');
    const { messages, rest } = splitHandshakes(stream);
    expect(messages.map((m) => [m.type, m.body.toString('hex')])).to.deep.equal([[14, ''], [11, 'aabbcc']]);
    expect(rest.toString('hex')).to.equal('0200001001');
  });

  it('names alerts as RFC 8446 does', () => {
    expect(parseAlert(hex('0228'))).to.deep.equal({ level: 2, description: 40, name: 'handshake_failure' });
    expect(parseAlert(hex('0246'))).to.include({ name: 'protocol_version' });
  });

  it('writes a hello that carries the suites offered, SSLv3 without extensions but with the SCSV', () => {
    const body = clientHelloBody({ version: 'SSLv3', cipherSuites: [0x000a, 0x002f], noExtensions: true });
    // version, random, empty session ID, then the suite list.
    expect(body.readUInt16BE(0)).to.equal(0x0300);
    expect(body.subarray(35, 35 + 8).toString('hex')).to.equal('0006000a002f00ff');
    expect(body.length).to.equal(35 + 8 + 2);
    const record = tlsClientHelloRecord({ version: 'TLSv1.2', cipherSuites: [0xc02f], serverName: '192.0.2.1' });
    expect(record.subarray(0, 3).toString('hex')).to.equal('160301');
    expect(record.includes(Buffer.from('192.0.2.1'))).to.equal(false, 'an IP literal is never sent as SNI');
    const named = tlsClientHelloRecord({ version: 'TLSv1.2', cipherSuites: [0xc02f], serverName: 'camera.local' });
    expect(named.includes(Buffer.from('camera.local'))).to.equal(true);
  });
});
