import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { SocketTracker, closeTcp, listenTcp, type RunningService } from '../../harness/simulator/tcp.js';

/**
 * In-process services (on an ephemeral port unless one is given) for identification where Debian has nothing to run: an RTSP camera, ADB,
 * gdbserver, a UPnP device description, an ONVIF device service, and hostile ports (silent, echo,
 * garbage, endless).
 */
export type Fake = RunningService & { host: string };

async function serve(server: Server, host: string, port = 0): Promise<Fake> {
  const tracker = new SocketTracker();
  server.on('connection', (socket: Socket) => tracker.add(socket));
  port = await listenTcp(server, port, host);
  return { host, port, close: () => closeTcp(server, tracker) };
}

function tcpFake(host: string, port: number | undefined, onSocket: (socket: Socket) => void): Promise<Fake> {
  return serve(createServer(onSocket), host, port);
}

/** A camera's RTSP server as Hikvision-style firmware answers: OPTIONS freely, DESCRIBE of any path behind Digest. */
export function startRtspCamera(host: string, port?: number): Promise<Fake> {
  return tcpFake(host, port, (socket) => {
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n\r\n'); end >= 0; end = buffer.indexOf('\r\n\r\n')) {
        const head = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        const cseq = /\r\nCSeq:\s*(\d+)/i.exec(head)?.[1] ?? '0';
        const reply = head.startsWith('OPTIONS ')
          ? 'RTSP/1.0 200 OK\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n'
          : `RTSP/1.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm="IP Camera", nonce="${randomBytes(8).toString('hex')}"\r\n`;
        socket.write(`${reply}CSeq: ${cseq}\r\nServer: Fake Camera RTSP/1.0\r\n\r\n`);
      }
    });
  });
}

function adbMessage(command: string, data: Buffer): Buffer {
  const header = Buffer.alloc(24);
  const cmd = Buffer.from(command, 'latin1').readUInt32LE(0);
  header.writeUInt32LE(cmd, 0);
  header.writeUInt32LE(0x01000000, 4);
  header.writeUInt32LE(4096, 8);
  header.writeUInt32LE(data.length, 12);
  header.writeUInt32LE(data.reduce((s, b) => s + b, 0), 16);
  header.writeUInt32LE((cmd ^ 0xffffffff) >>> 0, 20);
  return Buffer.concat([header, data]);
}

/** adbd on TCP 5555 as a debug build leaves it: CNXN answered with CNXN (open) or AUTH (a key wanted). */
export function startAdbDevice(host: string, mode: 'open' | 'auth', port?: number): Promise<Fake> {
  return tcpFake(host, port, (socket) => {
    socket.once('data', () => {
      socket.write(mode === 'open'
        ? adbMessage('CNXN', Buffer.from('device::ro.product.name=cam;ro.product.model=FAKE-CAM-1;ro.product.device=cam;\0'))
        : adbMessage('AUTH', randomBytes(20)));
    });
  });
}

/** gdbserver's RSP stub: acknowledges the packet and reports the inferior stopped by SIGTRAP. */
export function startGdbStub(host: string, port?: number): Promise<Fake> {
  return tcpFake(host, port, (socket) => {
    socket.on('data', (chunk: Buffer) => {
      if (chunk.includes('$?#3f')) socket.write('+$T0506:0000000000000000;07:e0e7ffffff7f0000;#c1');
    });
  });
}

function httpFake(host: string, port: number | undefined, handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<Fake> {
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handler(req, body, res));
  });
  return serve(server as unknown as Server, host, port);
}

export const UPNP_MODEL = 'FAKE-GW-200';

/** A home gateway's UPnP HTTP server (miniupnpd style): its description at /rootDesc.xml names the device. */
export function startUpnpDevice(host: string, port?: number): Promise<Fake> {
  return httpFake(host, port, (req, _body, res) => {
    if (req.url === '/rootDesc.xml') {
      res.writeHead(200, { 'Content-Type': 'text/xml', Server: 'Linux/5.10 UPnP/1.1 MiniUPnPd/2.3.3' });
      res.end(`<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>1</minor></specVersion><device>` +
        `<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>Fake Gateway</friendlyName>` +
        `<manufacturer>Fake Networks</manufacturer><modelName>Fake Gateway</modelName><modelNumber>${UPNP_MODEL}</modelNumber></device></root>`);
      return;
    }
    res.writeHead(404, { Server: 'Linux/5.10 UPnP/1.1 MiniUPnPd/2.3.3' });
    res.end();
  });
}

/** A camera's web server: its pages behind Digest, its ONVIF device service answering GetSystemDateAndTime unauthenticated. */
export function startOnvifCamera(host: string, port?: number): Promise<Fake> {
  return httpFake(host, port, (req, body, res) => {
    if (req.method === 'POST' && req.url === '/onvif/device_service' && body.includes('GetSystemDateAndTime')) {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
        '<s:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:UTCDateTime xmlns:tt="http://www.onvif.org/ver10/schema"><tt:Date><tt:Year>2026</tt:Year></tt:Date></tt:UTCDateTime>' +
        '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>');
      return;
    }
    res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="camera", qop="auth", nonce="abc123"', Server: 'App-webs/' });
    res.end();
  });
}

export type Hostility = 'silent' | 'echo' | 'garbage' | 'endless' | 'drip' | 'closer';

/**
 * Ports that answer nothing useful: accepts and says nothing; echoes what it gets; answers every read
 * with random bytes; sends without end from the start; sends one byte every 200 ms; closes at once
 * (what nmap calls tcpwrapped).
 */
export function startHostile(host: string, hostility: Hostility, port?: number): Promise<Fake> {
  return tcpFake(host, port, (socket) => {
    if (hostility === 'echo') socket.on('data', (c: Buffer) => socket.write(c));
    if (hostility === 'garbage') {
      socket.write(randomBytes(64));
      socket.on('data', () => socket.write(randomBytes(256)));
    }
    if (hostility === 'endless') {
      const chunk = randomBytes(64 * 1024);
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
      };
      socket.on('drain', pump);
      pump();
    }
    if (hostility === 'closer') socket.end();
    if (hostility === 'drip') {
      const timer = setInterval(() => socket.write('x'), 200);
      socket.once('close', () => clearInterval(timer));
    }
  });
}
