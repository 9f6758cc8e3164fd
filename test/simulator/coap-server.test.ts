import { startTestDevice } from './helpers.js';
import { expect } from 'chai';
import { type SimulatedDevice, type SimulatorMode } from '../../harness/simulator/device.js';
import { coapGet, service } from './helpers.js';

for (const mode of ['secure', 'insecure'] as SimulatorMode[]) {
  describe(`simulator coap (${mode})`, () => {
    let device: SimulatedDevice;
    let port: number;

    before(async () => {
      device = await startTestDevice({ mode });
      port = service(device, 'coap').port;
    });
    after(async () => {
      await device?.close();
    });

    it('is a UDP service without authentication', () => {
      expect(service(device, 'coap')).to.deep.include({ protocol: 'coap', transport: 'udp', auth: 'none', declared: true });
    });

    it('serves /.well-known/core in link format', async () => {
      const res = await coapGet(port, '/.well-known/core');
      expect(res.code).to.equal('2.05');
      expect(res.payload).to.equal('</status>;rt="sim.status"');
      expect(res.contentFormat).to.equal('application/link-format');
    });

    it('serves GET /status', async () => {
      const res = await coapGet(port, '/status');
      expect(res.code).to.equal('2.05');
      expect(JSON.parse(res.payload)).to.deep.equal({ ok: true });
    });

    it('answers unknown resources with 4.04', async () => {
      const res = await coapGet(port, '/nothing');
      expect(res.code).to.equal('4.04');
    });
  });
}
