import { startTestDevice } from './helpers.js';
import { expect } from 'chai';
import { connect } from 'node:net';
import { type SimulatedDevice } from '../../harness/simulator/device.js';
import { HOST, freePort, readBanner, service, tcpProbe } from './helpers.js';

const BANNER = '\r\nBusyBox v1.30 built-in shell (ash)\r\n# ';

describe('simulator debug port', () => {
  describe('insecure build', () => {
    let device: SimulatedDevice;
    before(async () => {
      device = await startTestDevice({ mode: 'insecure' });
    });
    after(async () => {
      await device?.close();
    });

    it('lists an undeclared telnet service', () => {
      expect(service(device, 'debug')).to.deep.include({ protocol: 'telnet', transport: 'tcp', auth: 'none', declared: false });
    });

    it('greets with a BusyBox root shell banner without any login', async () => {
      const banner = await readBanner(service(device, 'debug').port, BANNER.length);
      expect(banner).to.equal(BANNER);
    });

    it('answers a line with a fresh prompt', async () => {
      const port = service(device, 'debug').port;
      const received = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: HOST, port });
        let text = '';
        socket.on('data', (d: Buffer) => {
          text += d.toString('utf8');
          if (text.length === BANNER.length) socket.write('id\n');
          if (text.length >= BANNER.length + 4) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.on('error', reject);
      });
      expect(received).to.equal(BANNER + '\r\n# ');
    });

    it('is not in the profile document', () => {
      const services = device.profileDocument().document.services as { name: string }[];
      expect(services.map((s) => s.name)).not.to.include('debug');
    });
  });

  describe('secure build', () => {
    let device: SimulatedDevice;
    let reserved: number;
    before(async () => {
      reserved = await freePort();
      // Even when asked for a debug port, the secure build must not open one.
      device = await startTestDevice({ mode: 'secure', ports: { debug: reserved } });
    });
    after(async () => {
      await device?.close();
    });

    it('has no debug or telnet service', () => {
      expect(device.services.map((s) => s.name)).not.to.include('debug');
      expect(device.services.map((s) => s.protocol)).not.to.include('telnet');
      expect(device.services.every((s) => s.declared)).to.equal(true);
    });

    it('does not listen on the requested debug port', async () => {
      expect(await tcpProbe(reserved)).to.equal('ECONNREFUSED');
    });
  });
});
