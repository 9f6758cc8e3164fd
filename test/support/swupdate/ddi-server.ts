import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * The smallest hawkBit DDI server suricatta updates from, for the fixture's own test: it offers one image at
 * a time as a forced deployment, serves it, and keeps the feedback. jcstar's update server
 * (harness/update/server/) is what the hands-on checks use; this one only proves the fixture.
 */

export interface DdiFeedback {
  actionId: string;
  execution: string;
  finished: string;
  details: string[];
}

/** How an offered image is served: a download link elsewhere (e.g. plain HTTP), or cut off half way. */
export interface DdiOfferOptions {
  downloadHref?: string;
  cutAtHalf?: boolean;
}

export interface DdiServer {
  url: string;
  /** Offers `image` as the next action; returns its id. */
  offer(image: Buffer, version: string, options?: DdiOfferOptions): string;
  /** The path under `url` where action `id`'s image is served, for another server's downloadHref. */
  artifactPath(controllerId: string, id: string, tenant?: string): string;
  feedback(): DdiFeedback[];
  downloads(): number;
  close(): Promise<void>;
}

const BODY_LIMIT = 1 << 20;

export async function startDdiServer(host: string, tls?: { key: string; cert: string }): Promise<DdiServer> {
  let offered: { id: string; image: Buffer; version: string; options: DdiOfferOptions } | undefined;
  let next = 1;
  let downloads = 0;
  const feedback: DdiFeedback[] = [];
  let base = '';

  const deployment = (id: string, image: Buffer, version: string, options: DdiOfferOptions) => ({
    id,
    deployment: {
      download: 'forced',
      update: 'forced',
      chunks: [
        {
          part: 'os',
          version,
          name: 'firmware',
          artifacts: [
            {
              filename: `firmware-${version}.swu`,
              hashes: { sha1: hash('sha1', image), md5: hash('md5', image), sha256: hash('sha256', image) },
              size: image.length,
              _links: { download: { href: options.downloadHref ?? `${base}/artifacts/${id}` } },
            },
          ],
        },
      ],
    },
  });

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = (req.url ?? '').split('?')[0]!;
    const controller = /^\/[^/]+\/controller\/v1\/[^/]+/.exec(path)?.[0];
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/hal+json' }).end(JSON.stringify(value));
    if (!controller) return res.writeHead(404).end();
    const rest = path.slice(controller.length);
    base = `${tls ? 'https' : 'http'}://${req.headers.host}${controller}`;
    if (rest === '' && req.method === 'GET') {
      const links = offered ? { deploymentBase: { href: `${base}/deploymentBase/${offered.id}` } } : {};
      return json({ config: { polling: { sleep: '00:00:01' } }, _links: links });
    }
    const action = /^\/deploymentBase\/(\d+)(\/feedback)?$/.exec(rest);
    if (action && offered && action[1] === offered.id && !action[2]) return json(deployment(offered.id, offered.image, offered.version, offered.options));
    if (action && action[2] && req.method === 'POST') {
      const status = (JSON.parse(body) as { status?: { execution?: string; result?: { finished?: string }; details?: string[] } }).status ?? {};
      feedback.push({ actionId: action[1]!, execution: status.execution ?? '', finished: status.result?.finished ?? '', details: status.details ?? [] });
      // A closed action is no longer offered: the device asked for it and said how it ended.
      if (status.execution === 'closed' && offered?.id === action[1]) offered = undefined;
      return json({});
    }
    const artifact = /^\/artifacts\/(\d+)$/.exec(rest);
    if (artifact && offered && artifact[1] === offered.id) {
      if (req.method === 'GET') downloads++;
      if (offered.options.cutAtHalf && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': offered.image.length });
        res.write(offered.image.subarray(0, offered.image.length >> 1), () => res.destroy());
        return;
      }
      return res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': offered.image.length }).end(req.method === 'HEAD' ? undefined : offered.image);
    }
    if (rest === '/configData') return json({});
    return res.writeHead(404).end();
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      if (body.length < BODY_LIMIT) body += chunk.toString();
    });
    req.on('end', () => {
      try {
        handle(req, res, body);
      } catch {
        res.writeHead(400).end();
      }
    });
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    offer: (image, version, options = {}) => {
      const id = String(next++);
      offered = { id, image, version, options };
      return id;
    },
    artifactPath: (controllerId, id, tenant = 'DEFAULT') => `/${tenant}/controller/v1/${controllerId}/artifacts/${id}`,
    feedback: () => [...feedback],
    downloads: () => downloads,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function hash(algorithm: string, data: Buffer): string {
  return createHash(algorithm).update(data).digest('hex');
}
