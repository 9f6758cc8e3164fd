import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { ServiceIdentity } from '../../harness/inventory/types.js';
import { RECOGNISERS } from '../../harness/probes/identify/catalogue.js';
import { printable } from '../../harness/probes/identify/excerpt.js';
import { blankIdentity } from '../../harness/probes/identify/port-identification.js';
import type { PortSession, Recogniser } from '../../harness/probes/identify/recogniser.js';
import { coapTcp } from '../../harness/probes/identify/recognisers/coap-tcp.js';
import { ftp } from '../../harness/probes/identify/recognisers/ftp.js';
import { mqtt } from '../../harness/probes/identify/recognisers/mqtt.js';
import { smtp } from '../../harness/probes/identify/recognisers/smtp.js';

/** A session that can only take notes: enough for recognisers that decide from the reply alone. */
function notebook(): PortSession & { identity: ServiceIdentity } {
  const identity = blankIdentity(1);
  return {
    net: undefined as never, host: '127.0.0.1', port: 1, signal: new AbortController().signal, replyTimeoutMs: 100,
    layer: { tls: false, open: () => Promise.reject(new Error('offline')) },
    identity,
    record: () => {},
    speaks(plain) {
      identity.protocol = plain;
    },
    exchange: () => Promise.reject(new Error('offline')),
    identifyWithin: () => Promise.resolve(),
  };
}

function recogniserOf(reply: Buffer, probe: string | null): Recogniser | undefined {
  return RECOGNISERS.find((r) => r.recognises(reply, probe));
}

describe('identification recognisers (bytes only)', () => {
  it('tells a mail server\'s 220 from an FTP server\'s', async () => {
    expect(recogniserOf(Buffer.from('220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n'), null)).to.equal(smtp);
    expect(recogniserOf(Buffer.from('220 (vsFTPd 3.0.3)\r\n'), null)).to.equal(ftp);
    const s = notebook();
    await smtp.describe(Buffer.from('220 mail.example.com ESMTP Postfix\r\n'), s, null);
    expect([s.identity.service, s.identity.protocol, s.identity.auth]).to.deep.equal(['smtp', null, null]);
  });

  it('reads MQTT 3.1.1 and 5.0 CONNACK codes: 0 none, 5 and 0x87 password, 1 neither', async () => {
    const auth = async (connack: number[]) => {
      const s = notebook();
      await mqtt.describe(Buffer.from(connack), s, 'mqtt CONNECT');
      return s.identity.auth;
    };
    expect(await auth([0x20, 0x02, 0x00, 0x00])).to.equal('none');
    expect(await auth([0x20, 0x02, 0x00, 0x05])).to.equal('password');
    expect(await auth([0x20, 0x03, 0x00, 0x87, 0x00])).to.equal('password');
    expect(await auth([0x20, 0x02, 0x00, 0x01])).to.equal(null);
    expect(mqtt.recognises(Buffer.from([0x20, 0x02, 0x00, 0x00]), 'http GET /')).to.equal(false);
  });

  it('knows libcoap\'s unasked CSM, and no random bytes for one', () => {
    // A CSM cut short is not one yet.
    expect(coapTcp.recognises(Buffer.from('50e123800100', 'hex'), null)).to.equal(false);
    // Len 5: Max-Message-Size (3 bytes), Block-Wise-Transfer (empty), as libcoap 4.3 sends it.
    expect(coapTcp.recognises(Buffer.from([0x50, 0xe1, 0x23, 0x80, 0x01, 0x00, 0x20]), null)).to.equal(true);
    // Near misses: options that overrun the message, a payload, an option no CSM has, no Max-Message-Size unasked.
    for (const hex of ['c3e1d030736ef76cb9a562578d261dce1f1a0b8c', '40e1ff414243', '30e1b14142', '10e140']) {
      expect(coapTcp.recognises(Buffer.from(hex, 'hex'), null), hex).to.equal(false);
    }
    expect(coapTcp.recognises(Buffer.from('10e140', 'hex'), 'coap+tcp CSM')).to.equal(true);
    for (let i = 0; i < 500; i++) {
      const garbage = randomBytes(64);
      expect(coapTcp.recognises(garbage, null), garbage.toString('hex')).to.equal(false);
    }
  });

  it('prints any bytes as bounded printable text', () => {
    const text = printable(Buffer.concat([Buffer.from('SSH-2.0-x\r\n'), Buffer.from([0, 0xff, 0x5c]), randomBytes(2000)]));
    expect(text.startsWith('SSH-2.0-x\\r\\n\\x00\\xff\\x5c')).to.equal(true);
    expect(text.length).to.be.at.most(301);
    expect(text).to.match(/^[\x20-\x7e…]*$/);
  });
});
