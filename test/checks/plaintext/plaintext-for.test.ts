import { expect } from 'chai';
import { plaintextCheckFor } from '../../../harness/checks/encryption/plaintext/plaintext-for.js';
import { PROTOCOLS } from '../../../harness/profile/schema.js';
import type { Service } from '../../../harness/profile/types.js';

describe('S1.1-12 plaintext check registry', () => {
  const service = (protocol: Service['protocol']): Service => ({ name: 'svc', protocol, port: 1, auth: 'none', transport: 'tcp' });

  it('has no plaintext check for the protocols encrypted by design, and one for every other protocol', () => {
    const without = PROTOCOLS.filter((p) => plaintextCheckFor(service(p)) === null);
    expect(without).to.deep.equal(['https', 'ssh', 'mqtts', 'coaps', 'rtsps', 'ftps']);
    expect(PROTOCOLS.filter((p) => typeof plaintextCheckFor(service(p)) === 'function')).to.deep.equal(['http', 'telnet', 'mqtt', 'coap', 'rtsp', 'ftp', 'snmp', 'upnp', 'other']);
  });

  it('gives each plaintext protocol its own check', () => {
    const names = ['http', 'telnet', 'mqtt', 'coap', 'rtsp', 'ftp', 'snmp'].map((p) => plaintextCheckFor(service(p as Service['protocol']))!.name);
    expect(names).to.deep.equal(['checkHttpPlaintext', 'checkTelnetPlaintext', 'checkMqttPlaintext', 'checkCoapPlaintext', 'checkRtspPlaintext', 'checkFtpPlaintext', 'checkSnmpPlaintext']);
  });
});
