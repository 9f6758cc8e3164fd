import { startTestDevice } from './helpers.js';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import mqtt from 'mqtt';
import { type SimulatedDevice, type SimulatorMode } from '../../harness/simulator/device.js';
import { HOST, coapGet, delay, rawExchange, service, sshLogin, tcpProbe, telemetryConnect, tlsFor, waitFor, webAdminCall } from './helpers.js';

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    socket.on('error', () => { /* resets are expected here */ });
    socket.resume(); // discard banners, so 'end' and 'close' are not held back by unread data
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function assertDeviceHealthy(device: SimulatedDevice): Promise<void> {
  expect((await webAdminCall(device, '/admin', { auth: device.admin })).status).to.equal(200);
  expect((await sshLogin(service(device, 'ssh').port, device.ssh.username, device.ssh.password, 'password')).ok).to.equal(true);
  expect((await telemetryConnect(device, 4, device.admin.username, device.admin.password)).connected).to.equal(true);
  expect((await coapGet(service(device, 'coap').port, '/status')).code).to.equal('2.05');
  if (device.mode === 'insecure') expect(await tcpProbe(service(device, 'debug').port)).to.equal('connected');
}

/** TCP services of each build; the secure build's web-admin and telemetry take the garbage where TLS expects a ClientHello. */
const TCP_SERVICES: Record<SimulatorMode, string[]> = {
  secure: ['web-admin', 'ssh', 'telemetry'],
  insecure: ['web-admin', 'ssh', 'telemetry', 'debug'],
};

for (const mode of ['secure', 'insecure'] as SimulatorMode[]) {
  describe(`simulator robustness (${mode})`, () => {
    let device: SimulatedDevice;
    before(async () => {
      device = await startTestDevice({ mode });
    });
    after(async () => {
      await device?.close();
    });

    for (const name of TCP_SERVICES[mode]) {
      it(`${name} survives random garbage`, async () => {
        const port = service(device, name).port;
        await Promise.all([0, 1, 2].map(() => rawExchange(port, randomBytes(4096), 1000)));
        expect(await tcpProbe(port)).to.equal('connected');
      });

      it(`${name} survives half-open and reset connections`, async () => {
        const port = service(device, name).port;
        const halfOpen = await openSocket(port);
        halfOpen.end(); // FIN from our side, keep reading
        const reset = await openSocket(port);
        reset.write(randomBytes(16));
        reset.resetAndDestroy();
        const immediateReset = await openSocket(port);
        immediateReset.resetAndDestroy();
        await delay(100);
        halfOpen.destroy();
        expect(await tcpProbe(port)).to.equal('connected');
      });
    }

    it('coap survives garbage datagrams', async () => {
      const port = service(device, 'coap').port;
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, HOST, () => resolve()));
      for (let i = 0; i < 5; i++) socket.send(randomBytes(64 + i), port, HOST);
      socket.send(Buffer.alloc(0), port, HOST);
      await delay(100);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      expect((await coapGet(port, '/.well-known/core')).code).to.equal('2.05');
    });

    it('every service still answers real clients after the abuse', async () => {
      await assertDeviceHealthy(device);
    });
  });
}

for (const mode of ['secure', 'insecure'] as SimulatorMode[]) {
  describe(`simulator close() with lingering connections (${mode})`, () => {
    it('closes quickly, disconnecting idle, authenticated and half-sent clients', async () => {
      const device = await startTestDevice({ mode });
      const closedBy: string[] = [];
      const sockets: Socket[] = [];
      try {
        // Raw connections that never finish a handshake (TLS included), on every TCP port.
        for (const s of device.services.filter((x) => x.transport === 'tcp')) {
          const socket = await openSocket(s.port);
          socket.write(s.protocol === 'http' ? 'GET /admin HTTP/1.1\r\nHost: x\r\n' : '');
          socket.on('close', () => closedBy.push(`raw:${s.name}`));
          sockets.push(socket);
        }
        // An authenticated ssh connection left open.
        const sshClient = new ssh2.Client();
        await new Promise<void>((resolve, reject) => {
          sshClient.on('ready', () => resolve());
          sshClient.on('error', reject);
          sshClient.connect({ host: HOST, port: service(device, 'ssh').port, username: device.ssh.username, password: device.ssh.password });
        });
        sshClient.on('error', () => undefined);
        sshClient.on('close', () => closedBy.push('ssh'));
        // A connected MQTT client that would reconnect forever if we let it.
        const tls = tlsFor(device, 'telemetry');
        const mqttClient = mqtt.connect({
          protocol: tls ? 'mqtts' : 'mqtt', ca: tls?.ca,
          host: HOST, port: service(device, 'telemetry').port, username: device.admin.username, password: device.admin.password, reconnectPeriod: 0,
        });
        await new Promise<void>((resolve, reject) => {
          mqttClient.on('connect', () => resolve());
          mqttClient.on('error', reject);
        });
        mqttClient.on('error', () => undefined);
        mqttClient.on('close', () => closedBy.push('mqtt'));

        const started = Date.now();
        await device.close();
        expect(Date.now() - started).to.be.below(2000);
        const expected = ['ssh', 'mqtt', ...TCP_SERVICES[mode].map((name) => `raw:${name}`)];
        await waitFor(() => closedBy.length >= expected.length);
        expect(closedBy).to.include.members(expected);
        mqttClient.end(true);
        sshClient.end();
      } finally {
        for (const s of sockets) s.destroy();
        await device.close();
      }
    });
  });
}
