import type { IncomingMessage, OutgoingMessage } from 'coap';
import { serveCoap } from '../coap-server.js';

/**
 * A CoAP device whose resources answer as configured: 2.05 with a payload for an open resource,
 * 4.01 Unauthorized for one that wants credentials (which this fake never accepts). /.well-known/core
 * lists every resource in link format.
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
  const served = await serveCoap(handle, { host: options.host, port: options.port ?? 0 });
  return { host: options.host, port: served.port, requests: () => [...requests], close: served.close };
}
