import { expect } from 'chai';
import { startCoapFake } from '../../../harness/simulator/fakes/coap-server.js';
import { startTelnetServer } from '../../../harness/simulator/fakes/telnet-server.js';
import { startMqttBroker } from '../../../harness/simulator/mqtt-broker.js';
import { countingListener } from '../../support/listeners.js';
import { expectNotRecorded, runPlaintextCheck } from './run-plaintext.js';

/** S1.1-12 plaintext MQTT, Telnet and CoAP against in-process fakes on 127.0.97.x. */

describe('S1.1-12 plaintext MQTT', function () {
  this.timeout(30000);

  it('FAILs a broker that answers CONNECT without TLS, with the CONNACK as evidence and no real password sent', async () => {
    const host = '127.0.97.11';
    const password = 'Broker-Pass-7Qx2';
    let attempts = 0;
    const broker = await startMqttBroker({ host, port: 0, login: { username: 'sensor', password }, onAuthAttempt: () => attempts++ });
    try {
      const { check, runDir } = await runPlaintextCheck(
        host,
        [{ name: 'broker', protocol: 'mqtt', port: broker.port, auth: 'password', credential: 'sensor' }],
        { credentials: { sensor: { username: 'sensor', password: '${env:BROKER_PASSWORD}' } }, env: { BROKER_PASSWORD: password } },
      );
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(
        new RegExp(`^broker: the MQTT broker answers CONNECT on ${broker.port}/tcp without TLS and checked a username and password sent in plaintext \\(CONNACK code=4 \\(bad user name or password\\)\\) \\(evidence #\\d+\\): credentials and messages travel unencrypted$`),
      );
      const evidence = check.evidence[0]!;
      expect(evidence.sent).to.match(/^CONNECT protocol=MQTT 3\.1\.1 clientId=jcstar-[0-9a-f]{8} username=jcstar-[0-9a-f]{8} password=\[REDACTED:random-password\] cleanSession=true$/);
      expect(evidence.received).to.equal('CONNACK code=4 (bad user name or password)');
      expect(evidence.data).to.deep.include({ tls: false, connackCode: 4, outcome: 'rejected' });
      expect(attempts).to.equal(1);
      expectNotRecorded(runDir, password);
    } finally {
      await broker.close();
    }
  });

  it('is INCONCLUSIVE when no CONNACK comes', async () => {
    const silent = await countingListener('127.0.97.12');
    try {
      const { check } = await runPlaintextCheck(silent.host, [{ name: 'broker', protocol: 'mqtt', port: silent.port, auth: 'password' }]);
      expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(new RegExp(`^broker: no CONNACK on ${silent.port}/tcp without TLS \\(.+; evidence #\\d+\\), so whether it speaks MQTT in plaintext is unknown$`));
      expect(silent.connections()).to.equal(2); // preflight, then the CONNECT
    } finally {
      await silent.close();
    }
  });
});

describe('S1.1-12 plaintext Telnet', function () {
  this.timeout(30000);

  it('FAILs a Telnet login prompt, recording the visible text without the option negotiation', async () => {
    const telnet = await startTelnetServer({ host: '127.0.97.21', users: { admin: 'not-sent' } });
    try {
      const { check } = await runPlaintextCheck(telnet.host, [{ name: 'console', protocol: 'telnet', port: telnet.port, auth: 'password' }]);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(new RegExp(`^console: Telnet on ${telnet.port}/tcp shows a login prompt "fake-cam login:" in plaintext \\(evidence #\\d+\\); the login typed there crosses the network unencrypted$`));
      const received = check.evidence[0]!.received!;
      expect(received).to.contain('fake-cam firmware 2.1').and.contain('fake-cam login:');
      // The fake's banner carries a literal 0xFF (IAC IAC), which is text; its DO/WILL/SB commands are not.
      expect(received).not.to.contain('<IAC').and.not.contain('\x1b');
      expect(telnet.attempts()).to.equal(0);
    } finally {
      await telnet.close();
    }
  });

  it('PASSes when the declared Telnet port refuses connections', async () => {
    const other = await countingListener('127.0.97.22');
    const closed = await countingListener('127.0.97.22');
    const closedPort = closed.port;
    await closed.close();
    try {
      const { check } = await runPlaintextCheck(other.host, [
        { name: 'console', protocol: 'telnet', port: closedPort, auth: 'password' },
        { name: 'web', protocol: 'https', port: other.port, auth: 'basic' },
      ]);
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(new RegExp(`^console: ${closedPort}/tcp refuses connections, so no Telnet channel is open \\(evidence #\\d+\\); the profile still declares one$`));
      expect(check.evidence[0]!.data).to.deep.equal({ port: closedPort, failure: 'refused' });
    } finally {
      await other.close();
    }
  });

  it('is INCONCLUSIVE when the port accepts and says nothing', async () => {
    const telnet = await startTelnetServer({ host: '127.0.97.23', users: {}, silent: true });
    try {
      const { check } = await runPlaintextCheck(telnet.host, [{ name: 'console', protocol: 'telnet', port: telnet.port, auth: 'password' }]);
      expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(new RegExp(`^console: ${telnet.port}/tcp accepted a connection but showed no banner or prompt within 1500 ms \\(evidence #\\d+\\)$`));
    } finally {
      await telnet.close();
    }
  });
});

describe('S1.1-12 plaintext CoAP', function () {
  this.timeout(30000);

  it('FAILs CoAP that answers over plain UDP, fetching discovery only', async () => {
    const coap = await startCoapFake({ host: '127.0.97.31', resources: { '/door': { code: '4.01' } } });
    try {
      const { check } = await runPlaintextCheck(coap.host, [{ name: 'coap', protocol: 'coap', port: coap.port, auth: 'psk' }]);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(new RegExp(`^coap: CoAP without DTLS answers on ${coap.port}/udp; resources not declared public: /door; GET /\\.well-known/core → 2\\.05 \\(evidence #\\d+\\)$`));
      expect(check.evidence[0]!.sent).to.equal(`CON GET coap://127.0.97.31:${coap.port}/.well-known/core`);
      expect(check.evidence[0]!.received).to.equal('2.05 Content-Format: application/link-format\n</door>;rt="jcstar.fake"');
      expect(coap.requests()).to.deep.equal(['/.well-known/core']);
    } finally {
      await coap.close();
    }
  });

  it('PASSes plain CoAP that lists only resources declared public, with their justification', async () => {
    const coap = await startCoapFake({ host: '127.0.97.33', resources: { '/status': { code: '2.05' } } });
    try {
      const publicStatus = [{ resource: '/status', justification: 'liveness flag only: no asset, no configuration' }];
      const { check } = await runPlaintextCheck(coap.host, [{ name: 'coap', protocol: 'coap', port: coap.port, auth: 'none', public: publicStatus }]);
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(new RegExp(`^coap: CoAP without DTLS on ${coap.port}/udp serves only resources declared public \\(/status\\): GET /\\.well-known/core → 2\\.05 \\(evidence #\\d+\\)$`));
    } finally {
      await coap.close();
    }
  });

  it('is INCONCLUSIVE when nothing answers on the UDP port', async () => {
    const { check } = await runPlaintextCheck('127.0.97.32', [{ name: 'coap', protocol: 'coap', port: 5683, auth: 'psk' }]);
    expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/^coap: no CoAP answer on 5683\/udp: GET \/\.well-known\/core → no CoAP answer within 1500 ms \(evidence #\d+\)$/);
  });
});
