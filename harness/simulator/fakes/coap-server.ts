import { createSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type OutgoingMessage } from 'coap';

/**
 * A CoAP device whose resources answer as configured: 2.05 with a payload for an open resource,
 * 4.01 Unauthorized for one that wants credentials (which this fake never accepts). /.well-known/core
 * lists every resource in link format. Binds its own UDP socket so that the port is known.
 */
export interface FakeCoapResource {
  code: '2.05' | '4.01' | '4.03';
  payload?: string;
  contentFormat?: string;
}

export interface CoapFakeOptions {
  host: string;
  port?: number;
  resources: Record<string, FakeCoapResource>;
}

export interface RunningCoapFake {
  host: string;
  port: number;
  /** Requests received, by path. */
  requests(): string[];
  close(): Promise<void>;
}

function linkFormatOf(resources: Record<string, FakeCoapResource>): string {
  return Object.keys(resources).map((path) => `<${path}>;rt="jcstar.fake"`).join(',');
}

export async function startCoapFake(options: CoapFakeOptions): Promise<RunningCoapFake> {
  const requests: string[] = [];
  const handle = (req: IncomingMessage, res: OutgoingMessage): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    if (path === '/.well-known/core') {
      res.setOption('Content-Format', 'application/link-format');
      res.end(linkFormatOf(options.resources));
      return;
    }
    const resource = options.resources[path];
    if (!resource) {
      res.code = '4.04';
      res.end();
      return;
    }
    res.code = resource.code;
    if (resource.contentFormat) res.setOption('Content-Format', resource.contentFormat);
    res.end(resource.payload ?? '');
  };
  const socket = createSocket({ type: 'udp4' });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: options.port ?? 0, address: options.host, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const server = createServer({ type: 'udp4' }, (req, res) => {
    try {
      handle(req, res);
    } catch {
      // a malformed request: nothing to answer
    }
  });
  server.on('error', () => {});
  server.listen(socket);
  return {
    host: options.host,
    port: socket.address().port,
    requests: () => [...requests],
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
