import type { ServerResponse } from 'node:http';
import { send, serveHttp } from './http-server.js';

/** What the vendor's site publishes; the secure build's declarations state the same. */
export interface VendorPublications {
  vdp: { contact: string; acknowledgeWithinDays: number; statusUpdateEveryDays: number };
  support: { endsOn: string };
  modelDesignation: string;
}

export interface VendorSite {
  /** The publicPages entries for the profile: jcstar's allow-list of this site's pages. */
  pages: Array<{ url: string; purpose: 'vulnerability-disclosure' | 'support-period' | 'product-information' }>;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * The simulated vendor's public web pages (VDP, support period, product), on the lab host's 127.0.0.1:
 * outside the device's scope, like a real vendor site, so the demo shows the publicPages fetch.
 */
export async function startVendorSite(published: VendorPublications): Promise<VendorSite> {
  const { vdp, support, modelDesignation } = published;
  const pages: Record<string, string> = {
    '/psirt': `<h1>ACME PSIRT</h1><p>Report vulnerabilities to ${vdp.contact}. We acknowledge every report within ${vdp.acknowledgeWithinDays} days and send a status update at least every ${vdp.statusUpdateEveryDays} days until it is resolved.</p>`,
    '/support': `<h1>Support period</h1><p>${modelDesignation}: security updates until ${support.endsOn}.</p>`,
    '/products/sim-cam': `<h1>${modelDesignation}</h1><p>Network camera.</p>`,
  };
  const server = await serveHttp(async (req, res: ServerResponse) => {
    const body = req.method === 'GET' ? pages[req.url ?? ''] : undefined;
    if (body === undefined) send(res, 404, 'text/plain', 'not found\n');
    else send(res, 200, 'text/html; charset=utf-8', `<!doctype html><html><body>${body}</body></html>`);
  }, { host: HOST, port: 0 });
  const base = `http://${HOST}:${server.port}`;
  return {
    pages: [
      { url: `${base}/psirt`, purpose: 'vulnerability-disclosure' },
      { url: `${base}/support`, purpose: 'support-period' },
      { url: `${base}/products/sim-cam`, purpose: 'product-information' },
    ],
    close: () => server.close(),
  };
}
