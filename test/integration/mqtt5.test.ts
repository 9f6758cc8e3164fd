import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeMqttConnect } from '../../harness/probes/mqtt/connect-auth.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { requireBinaries } from '../support/daemons.js';
import { startMosquitto, type Mosquitto } from '../support/mosquitto.js';

const HOST = '127.0.94.1';

describe('MQTT login probe against real Mosquitto, 3.1.1 and 5.0', function () {
  this.timeout(30000);
  const password = randomBytes(12).toString('base64url');
  const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 100, authAttemptsPerSecond: 100, connectTimeoutMs: 2000 });
  let broker: Mosquitto;
  before(async function () {
    requireBinaries(this, { mosquitto: 'mosquitto', mosquitto_passwd: 'mosquitto' });
    broker = await startMosquitto(HOST, { sensor: password });
  });
  after(() => broker?.stop());

  const attempt = (protocolVersion: 4 | 5, secret: string) =>
    probeMqttConnect(net, {
      host: HOST,
      port: broker.port,
      tls: false,
      protocolVersion,
      credential: { username: 'sensor', password: new Secret(secret, 'test') },
      signal: new AbortController().signal,
      timeoutMs: 3000,
    });

  it('judges MQTT 5.0 by the CONNACK reason code: 0x86/0x87 refused, 0 accepted', async () => {
    const wrong = await attempt(5, 'not-it');
    expect(wrong.outcome).to.equal('rejected');
    expect(wrong.received).to.match(/^CONNACK code=13[45] \((Bad User Name or Password|Not authorized)\)$/i);
    const right = await attempt(5, password);
    expect(right.outcome).to.equal('accepted');
    expect(right.sent).to.contain('protocol=MQTT 5.0').and.contain('password=[REDACTED:test]').and.not.contain(password);
  });

  it('judges MQTT 3.1.1 by the CONNACK return code: 4/5 refused, 0 accepted', async () => {
    const wrong = await attempt(4, 'not-it');
    expect(wrong.outcome).to.equal('rejected');
    expect(wrong.received).to.match(/^CONNACK code=[45] \(/);
    expect((await attempt(4, password)).outcome).to.equal('accepted');
  });
});
