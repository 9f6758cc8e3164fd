import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';

/**
 * A small hawkBit DDI server for the update client's tests: one tenant and controller, one offered
 * action at a time, served over HTTPS with the certificate the test gives (the genuine one or a made-up
 * one) and, for the plain-http case, a second plain listener for downloads. It records every request with
 * the client's address, and the feedback the device posts.
 */

export interface FakeOffer {
  actionId: string;
  image: Buffer;
  /** Put the download links on the plain-http listener. */
  plainLink?: boolean;
  /** Send the announced length, half the image, then close the connection. */
  cutAtHalf?: boolean;
}

export interface FakeRequest {
  client: string;
  channel: 'tls' | 'plain';
  method: string;
  path: string;
}

export interface FakeFeedback {
  actionId: string;
  body: { id?: string; status?: { execution?: string; result?: { finished?: string }; details?: string[] } };
}

export interface FakeHawkbit {
  port: number;
  plainPort: number;
  requests: FakeRequest[];
  /** TLS handshakes the client broke off (it refused the certificate). */
  tlsErrors: string[];
  feedback: FakeFeedback[];
  offer(offer: FakeOffer | null): void;
  close(): Promise<void>;
}

const BASE = '/DEFAULT/controller/v1/SIM-0001';

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/hal+json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(null);
      }
    });
  });
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => resolve((server.address() as { port: number }).port));
  });
}

/** `port` and `plainPort`: 0 or absent for any free one. */
export async function startFakeHawkbit(options: { address: string; port?: number; plainPort?: number; cert: string; key: string }): Promise<FakeHawkbit> {
  const requests: FakeRequest[] = [];
  const feedback: FakeFeedback[] = [];
  const sockets = new Set<Socket>();
  const tlsErrors: string[] = [];
  let current: FakeOffer | null = null;
  let tlsOrigin = '';
  let plainOrigin = '';

  const handle = (channel: 'tls' | 'plain') => async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ client: req.socket.remoteAddress ?? '', channel, method: req.method ?? '', path });
    const offer = current;
    if (req.method === 'GET' && path === BASE) {
      const links = offer ? { deploymentBase: { href: `${tlsOrigin}${BASE}/deploymentBase/${offer.actionId}?c=-1` } } : {};
      return json(res, 200, { config: { polling: { sleep: '00:00:01' } }, _links: links });
    }
    if (offer && req.method === 'GET' && path === `${BASE}/deploymentBase/${offer.actionId}`) {
      const artifact = `${BASE}/softwaremodules/1/artifacts/sim-cam.img`;
      const origin = offer.plainLink ? plainOrigin : tlsOrigin;
      return json(res, 200, {
        id: offer.actionId,
        deployment: {
          download: 'forced',
          update: 'forced',
          chunks: [{
            part: 'os',
            version: 'any',
            name: 'sim-cam',
            artifacts: [{
              filename: 'sim-cam.img',
              hashes: { sha256: createHash('sha256').update(offer.image).digest('hex') },
              size: offer.image.length,
              _links: { download: { href: `${origin}${artifact}` }, 'download-http': { href: `${plainOrigin}${artifact}` } },
            }],
          }],
        },
      });
    }
    if (offer && req.method === 'GET' && path === `${BASE}/softwaremodules/1/artifacts/sim-cam.img`) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': offer.image.length });
      if (!offer.cutAtHalf) return void res.end(offer.image);
      // Over TLS Node cannot send a TCP reset; closing the connection short of Content-Length cuts it just the same.
      res.write(offer.image.subarray(0, offer.image.length >> 1), () => res.socket?.destroy());
      return;
    }
    const feedbackPath = /^\/DEFAULT\/controller\/v1\/SIM-0001\/deploymentBase\/([^/]+)\/feedback$/.exec(path);
    if (req.method === 'POST' && feedbackPath) {
      feedback.push({ actionId: decodeURIComponent(feedbackPath[1]!), body: (await readJson(req)) as FakeFeedback['body'] });
      // hawkBit closes the action once the device reports it closed.
      if (offer?.actionId === feedbackPath[1]) current = null;
      return json(res, 200, {});
    }
    json(res, 404, {});
  };

  const onError = (_req: IncomingMessage, res: ServerResponse) => (err: unknown) => {
    if (!res.headersSent) json(res, 500, { error: String(err) });
  };
  const tls = createHttpsServer({ cert: options.cert, key: options.key }, (req, res) => void handle('tls')(req, res).catch(onError(req, res)));
  const plain = createServer((req, res) => void handle('plain')(req, res).catch(onError(req, res)));
  for (const server of [tls, plain]) {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('error', () => { /* the client may refuse the certificate */ });
      s.once('close', () => sockets.delete(s));
    });
  }
  tls.on('tlsClientError', (err: Error) => tlsErrors.push(err.message));
  const port = await listen(tls, options.address, options.port ?? 0);
  const plainPort = await listen(plain, options.address, options.plainPort ?? 0);
  tlsOrigin = `https://${options.address}:${port}`;
  plainOrigin = `http://${options.address}:${plainPort}`;
  return {
    port,
    plainPort,
    requests,
    tlsErrors,
    feedback,
    offer: (offer) => {
      current = offer;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([tls, plain].map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}
