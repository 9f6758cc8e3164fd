import { httpExchange } from '../../http/exchange.js';
import { classifyNetError } from '../../../net/errors.js';
import { printableText } from '../excerpt.js';
import type { PortSession } from '../recogniser.js';

/** Where UPnP devices commonly serve their description (UPnP Device Architecture 2.0 §2.3): miniupnpd, Windows, cameras. */
const DESCRIPTION_PATHS = ['/rootDesc.xml', '/description.xml'];
/** Tried as well when the Server field says UPnP (UDA §2.1 "OS/version UPnP/1.x product/version"). */
const UPNP_SERVER_PATHS = ['/DeviceDescription.xml', '/desc.xml', '/upnp/desc.xml', '/gatedesc.xml'];
const DEVICE_NAMESPACE = /urn:schemas-upnp-org:device-1-0/;
const FIELDS = ['deviceType', 'friendlyName', 'manufacturer', 'modelName', 'modelNumber', 'modelDescription'] as const;

function element(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}>([^<]{0,300})</${name}>`).exec(xml);
  return m?.[1]?.trim() || null;
}

/** A UPnP device description on this HTTP service names the device; the service is then UPnP. */
export async function describeUpnp(s: PortSession, server: string): Promise<void> {
  const paths = /\bUPnP\/\d/i.test(server) ? [...DESCRIPTION_PATHS, ...UPNP_SERVER_PATHS] : DESCRIPTION_PATHS;
  for (const path of paths) {
    if (s.signal.aborted) return;
    try {
      const res = await httpExchange(s.net, { host: s.host, port: s.port, tls: s.layer.tls, method: 'GET', path, headers: {}, signal: s.signal, timeoutMs: s.replyTimeoutMs });
      const xml = res.body.toString('utf8');
      if (res.status !== 200 || !DEVICE_NAMESPACE.test(xml) || element(xml, 'deviceType') === null) continue;
      s.record(`upnp GET ${path}`, `GET ${path}`, `HTTP ${res.status} ${xml}`);
      s.identity.service = 'upnp';
      s.identity.details['upnp.location'] = path;
      for (const name of FIELDS) {
        const value = element(xml, name);
        if (value !== null) s.identity.details[`upnp.${name}`] = printableText(value);
      }
      return;
    } catch (err) {
      if (classifyNetError(err).failure === 'aborted') return;
    }
  }
}
