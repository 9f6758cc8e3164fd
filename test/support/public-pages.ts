import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one route answers; a function gets the response to write itself (streams, stalls). */
export type PageRoute =
  | { status?: number; type?: string; body?: string; headers?: Record<string, string> }
  | ((res: ServerResponse) => void);

export interface PublicPageServer {
  base: string;
  /** Every request received: method, path and headers. */
  requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A vendor's web site on 127.0.0.1: the pages a profile's publicPages allow-list, and some it does not. */
export async function startPublicPages(routes: Record<string, PageRoute>): Promise<PublicPageServer> {
  const requests: PublicPageServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const route = routes[req.url ?? ''];
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') {
      route(res);
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'text/html; charset=utf-8', ...route.headers }).end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
