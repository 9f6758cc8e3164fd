import { startTestDevice } from './helpers.js';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { type SimulatedDevice, type SimulatorMode } from '../../harness/simulator/device.js';
import { mqttConnect, rawConnectPacket, rawExchange, service, tlsFor, type ClientTls } from './helpers.js';

for (const mode of ['secure', 'insecure'] as SimulatorMode[]) {
  describe(`simulator telemetry MQTT (${mode})`, () => {
    let device: SimulatedDevice;
    let port: number;
    let tls: ClientTls | undefined;
    const connect = (version: 3 | 4 | 5, username?: string, password?: string) => mqttConnect(port, version, username, password, tls);
    const exchange = (packet: Buffer, timeoutMs?: number) => rawExchange(port, packet, timeoutMs, tls);

    before(async () => {
      device = await startTestDevice({ mode });
      port = service(device, 'telemetry').port;
      tls = tlsFor(device, 'telemetry');
    });
    after(async () => {
      await device?.close();
    });

    it('MQTT 3.1.1: CONNACK 0 for the admin login', async () => {
      const res = await connect(4, device.admin.username, device.admin.password);
      expect(res).to.deep.include({ connected: true, code: 0 });
    });

    it('MQTT 3.1: CONNACK 0 for the admin login', async () => {
      const res = await connect(3, device.admin.username, device.admin.password);
      expect(res).to.deep.include({ connected: true, code: 0 });
    });

    it('MQTT 3.1.1: CONNACK 4 (bad user name or password) for a random wrong password', async () => {
      const res = await connect(4, device.admin.username, randomUUID());
      expect(res).to.deep.include({ connected: false, code: 4 });
    });

    it('MQTT 3.1.1: CONNACK 4 for an anonymous client', async () => {
      const res = await connect(4);
      expect(res).to.deep.include({ connected: false, code: 4 });
    });

    it(mode === 'insecure' ? 'MQTT 3.1.1: accepts the universal default admin/admin' : 'MQTT 3.1.1: rejects admin/admin', async () => {
      const res = await connect(4, 'admin', 'admin');
      expect(res.connected).to.equal(mode === 'insecure');
      expect(res.code).to.equal(mode === 'insecure' ? 0 : 4);
    });

    it('wire level 3.1.1: wrong password -> 20 02 00 04, then the broker closes', async () => {
      const res = await exchange(rawConnectPacket(4, 'admin', randomUUID()));
      expect(res.received.toString('hex')).to.equal('20020004');
      expect(res.closedByServer).to.equal(true);
    });

    it('wire level 3.1.1: right password -> 20 02 00 00', async () => {
      const res = await exchange(rawConnectPacket(4, device.admin.username, device.admin.password), 500);
      expect(res.received.subarray(0, 4).toString('hex')).to.equal('20020000');
    });

    it('MQTT 5: aedes refuses the protocol level before authentication (code 1), even with the right login', async () => {
      const good = await connect(5, device.admin.username, device.admin.password);
      expect(good).to.deep.include({ connected: false, code: 1 });
      const bad = await connect(5, device.admin.username, randomUUID());
      expect(bad).to.deep.include({ connected: false, code: 1 });
    });

    it('wire level 5.0: any CONNECT -> 3.1.1-format CONNACK 20 02 00 01, then close', async () => {
      const res = await exchange(rawConnectPacket(5, device.admin.username, device.admin.password));
      expect(res.received.toString('hex')).to.equal('20020001');
      expect(res.closedByServer).to.equal(true);
    });

    it('counts every CONNECT that carries credentials, at any protocol level', async () => {
      const before = device.authAttempts.telemetry ?? 0;
      await connect(4);
      expect(device.authAttempts.telemetry).to.equal(before);
      await connect(4, 'admin', randomUUID());
      await connect(4, device.admin.username, device.admin.password);
      await connect(5, 'admin', randomUUID());
      expect(device.authAttempts.telemetry).to.equal(before + 3);
    });
  });
}
