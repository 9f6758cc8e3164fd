import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, createServer, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import ssh2 from 'ssh2';
import mqtt from 'mqtt';
import coap from 'coap';
import { startSimulatedDevice, type SimulatedDevice, type SimulatedService, type SimulatorOptions } from '../../harness/simulator/device.js';

/** Client-side helpers for the simulator tests: real protocol clients, nothing mocked. */

export const HOST = '127.0.0.1';

export function service(device: SimulatedDevice, name: string): SimulatedService {
  const found = device.services.find((s) => s.name === name);
  if (!found) throw new Error(`device has no service ${name}`);
  return found;
}

/** TLS for a test client: the CA (PEM) it verifies the device against, certificate and address both. */
export interface ClientTls {
  ca: string;
}

/** What a client needs to reach one of the device's services: the device CA on https and mqtts, nothing on plaintext protocols. */
export function tlsFor(device: SimulatedDevice, name: string): ClientTls | undefined {
  const { protocol } = service(device, name);
  if (protocol !== 'https' && protocol !== 'mqtts') return undefined;
  if (!device.trustAnchor) throw new Error(`${name} speaks ${protocol}, but the device has no CA`);
  return { ca: device.trustAnchor.pem };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpCallOptions {
  method?: string;
  auth?: { username: string; password: string };
  headers?: Record<string, string>;
  body?: string;
  /** HTTPS, verified against this CA; plain HTTP without. */
  tls?: ClientTls;
}

export function httpCall(port: number, path: string, options: HttpCallOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Connection: 'close', ...options.headers };
    if (options.auth) headers.Authorization = 'Basic ' + Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64');
    if (options.body !== undefined) {
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(options.body));
    }
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const spec = { host: HOST, port, path, method: options.method ?? 'GET', headers, agent: false as const };
    const req: ClientRequest = options.tls ? httpsRequest({ ...spec, ca: options.tls.ca }, onResponse) : httpRequest(spec, onResponse);
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('http timeout')));
    req.end(options.body);
  });
}

/** The device's admin UI at `path`, over HTTP or HTTPS as the device serves it. */
export function webAdminCall(device: SimulatedDevice, path: string, options: Omit<HttpCallOptions, 'tls'> = {}): Promise<HttpResult> {
  return httpCall(service(device, 'web-admin').port, path, { ...options, tls: tlsFor(device, 'web-admin') });
}

export interface SshResult {
  ok: boolean;
  error?: string;
  /** Output of `exec`, when ok. */
  output?: string;
  /** Methods the server offered after the first (none) attempt, when recorded. */
  methodsAfterNone?: string[] | null;
}

/** Try one ssh login: password, keyboard-interactive, or 'none' only. On success run `exec` and collect output. */
export function sshLogin(port: number, username: string, password: string, method: 'password' | 'keyboard-interactive' | 'none'): Promise<SshResult> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let methodsAfterNone: string[] | null | undefined;
    let settled = false;
    const finish = (r: SshResult): void => {
      if (settled) return;
      settled = true;
      client.end();
      resolve({ ...r, methodsAfterNone });
    };
    let step = 0;
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finishPrompts) => {
      finishPrompts(prompts.map(() => password));
    });
    client.on('ready', () => {
      client.exec('id', (err, stream) => {
        if (err) {
          finish({ ok: true, error: err.message });
          return;
        }
        let output = '';
        stream.on('data', (d: Buffer) => (output += d.toString('utf8')));
        stream.stderr.on('data', () => undefined);
        stream.on('close', () => finish({ ok: true, output }));
      });
    });
    client.on('error', (err) => finish({ ok: false, error: err.message }));
    client.on('close', () => finish({ ok: false, error: 'closed' }));
    client.connect({
      host: HOST,
      port,
      username,
      readyTimeout: 10_000,
      authHandler: (methodsLeft, _partial, next) => {
        step++;
        if (method === 'none') {
          if (step === 1) {
            next({ type: 'none', username });
            return;
          }
          methodsAfterNone = methodsLeft;
          next(false as never);
          return;
        }
        if (step > 1) {
          next(false as never);
          return;
        }
        if (method === 'password') next({ type: 'password', username, password });
        else next({ type: 'keyboard-interactive', username, prompt: (_n, _i, _l, prompts, done) => done(prompts.map(() => password)) });
      },
    });
  });
}

export interface MqttResult {
  connected: boolean;
  /** CONNACK return code (v3.1.1) or reason code (v5) from the client library's error, 0 on success. */
  code: number | undefined;
  message?: string;
}

/** One MQTT connection attempt with the mqtt client library, over TLS when `tls` is given; never reconnects. */
export function mqttConnect(port: number, protocolVersion: 3 | 4 | 5, username?: string, password?: string, tls?: ClientTls): Promise<MqttResult> {
  return new Promise((resolve) => {
    const client = mqtt.connect({
      protocol: tls ? 'mqtts' : 'mqtt',
      ca: tls?.ca,
      host: HOST,
      port,
      protocolVersion,
      username,
      password,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      clean: true,
    });
    let settled = false;
    const finish = (r: MqttResult): void => {
      if (settled) return;
      settled = true;
      client.end(true, () => resolve(r));
    };
    client.on('connect', (ack) => finish({ connected: true, code: ack.returnCode ?? ack.reasonCode ?? 0 }));
    client.on('error', (err: Error & { code?: number | string }) =>
      finish({ connected: false, code: typeof err.code === 'number' ? err.code : undefined, message: err.message }),
    );
    client.on('close', () => finish({ connected: false, code: undefined, message: 'closed' }));
  });
}

/** One MQTT connection attempt on the device's telemetry broker, over TLS when the device speaks mqtts. */
export function telemetryConnect(device: SimulatedDevice, protocolVersion: 3 | 4 | 5, username?: string, password?: string): Promise<MqttResult> {
  return mqttConnect(service(device, 'telemetry').port, protocolVersion, username, password, tlsFor(device, 'telemetry'));
}

function mqttString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

/** A hand-built CONNECT packet (level 4 = 3.1.1, 5 = 5.0) with username and password. */
export function rawConnectPacket(level: 4 | 5, username: string, password: string): Buffer {
  const variable = Buffer.concat([
    mqttString('MQTT'),
    Buffer.from([level, 0xc2, 0x00, 0x3c]),
    level === 5 ? Buffer.from([0x00]) : Buffer.alloc(0),
  ]);
  const payload = Buffer.concat([mqttString('raw-probe'), mqttString(username), mqttString(password)]);
  const remaining = variable.length + payload.length;
  if (remaining > 127) throw new Error('test packet too long');
  return Buffer.concat([Buffer.from([0x10, remaining]), variable, payload]);
}

/** Send bytes (inside TLS when `tls` is given), collect everything the server sends until it closes (or `timeoutMs`). */
export function rawExchange(port: number, data: Buffer | null, timeoutMs = 3000, tls?: ClientTls): Promise<{ received: Buffer; closedByServer: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = tls ? tlsConnect({ host: HOST, port, ca: tls.ca }) : netConnect({ host: HOST, port });
    const chunks: Buffer[] = [];
    let done = false;
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (closedByServer: boolean, error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closedByServer, error });
    };
    socket.on(tls ? 'secureConnect' : 'connect', () => {
      if (data) socket.write(data);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (err) => finish(true, (err as NodeJS.ErrnoException).code ?? err.message));
  });
}

/** Connect, wait for `bytes` bytes or `ms`, return what arrived; the socket is destroyed afterwards. */
export function readBanner(port: number, bytes: number, ms = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: HOST, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => done(), ms);
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(buf.toString('utf8'));
    };
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= bytes) done();
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Resolves with the error code of a TCP connection attempt, or 'connected'. */
export function tcpProbe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = netConnect({ host: HOST, port });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message));
  });
}

export interface CoapResult {
  code: string;
  payload: string;
  contentFormat: unknown;
}

export function coapGet(port: number, pathname: string): Promise<CoapResult> {
  return new Promise((resolve, reject) => {
    const req = coap.request({ host: HOST, port, pathname, method: 'GET', agent: false, retrySend: 2 });
    req.on('response', (res) => resolve({ code: res.code, payload: res.payload.toString('utf8'), contentFormat: res.headers['Content-Format'] }));
    req.on('error', reject);
    req.on('timeout', () => reject(new Error('coap timeout')));
    req.end();
  });
}

/** A TCP port that was free a moment ago (bind to 0, read, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `condition` every 10 ms until it holds or `ms` pass; resolves with its final value. */
export async function waitFor(condition: () => boolean, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await delay(10);
  }
  return true;
}

/** The simulator pinned to 127.0.0.1 with every port ephemeral, so these tests can run next to anything. */
export function startTestDevice(options: SimulatorOptions): Promise<SimulatedDevice> {
  return startSimulatedDevice({ host: HOST, ...options, ports: { debug: 0, ...options.ports } });
}
