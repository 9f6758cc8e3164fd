import { createSocket, type RemoteInfo } from 'node:dgram';
import { createServer, type Server } from 'node:http';

/**
 * An in-process UPnP root device (Debian has no UPnP daemon that runs unprivileged on loopback): an SSDP
 * responder that answers a unicast M-SEARCH with LOCATION, and an HTTP server with the device description.
 */
export interface UpnpDevice {
  host: string;
  ssdpPort: number;
  httpPort: number;
  /** M-SEARCH requests received. */
  searches: number;
  /** Paths fetched over HTTP. */
  fetched: string[];
  close(): Promise<void>;
}

export function deviceDescription(fields: Record<string, string>): string {
  const elements = Object.entries(fields).map(([name, value]) => `<${name}>${value}</${name}>`).join('\n    ');
  return `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  <device>
    <deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>
    ${elements}
    <UDN>uuid:2f402f80-da50-11e1-9b23-00178801a001</UDN>
  </device>
</root>
`;
}

/** `location` overrides the LOCATION the responder announces (e.g. another host's), `server` its SERVER header. */
export async function startUpnpDevice(host: string, description: string, options: { location?: string; server?: string } = {}): Promise<UpnpDevice> {
  const fetched: string[] = [];
  const http: Server = createServer((req, res) => {
    fetched.push(req.url ?? '');
    if (req.url !== '/description.xml') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/xml; charset="utf-8"' }).end(description);
  });
  await new Promise<void>((resolve) => http.listen(0, host, resolve));
  const httpPort = (http.address() as { port: number }).port;
  const ssdp = createSocket('udp4');
  const device = {
    host,
    ssdpPort: 0,
    httpPort,
    searches: 0,
    fetched,
    close: async () => {
      await Promise.all([new Promise<void>((resolve) => ssdp.close(() => resolve())), new Promise<void>((resolve) => http.close(() => resolve()))]);
    },
  };
  ssdp.on('message', (datagram: Buffer, from: RemoteInfo) => {
    if (!datagram.toString('latin1').startsWith('M-SEARCH * HTTP/1.1')) return;
    device.searches++;
    const location = options.location ?? `http://${host}:${httpPort}/description.xml`;
    const answer = ['HTTP/1.1 200 OK', 'CACHE-CONTROL: max-age=1800', 'EXT:', `LOCATION: ${location}`, `SERVER: ${options.server ?? 'Linux/5.10 UPnP/1.0 jcstar-fixture/1.0'}`, 'ST: upnp:rootdevice', 'USN: uuid:2f402f80-da50-11e1-9b23-00178801a001::upnp:rootdevice', '', ''].join('\r\n');
    ssdp.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => ssdp.bind(0, host, resolve));
  device.ssdpPort = ssdp.address().port;
  return device;
}
