import type { DeviceStatement, ServiceIdentity } from '../../inventory/types.js';

/**
 * What identification already read on each open port, as statements the device makes about itself
 * (S1.1-10). Identification names its facts by detail key; this table says which of them name the model,
 * the vendor or the firmware, and which are only text a model may appear in. Keys are matched without case.
 */
const DETAIL_FIELDS: ReadonlyArray<{ key: RegExp; field: DeviceStatement['field']; label: string }> = [
  { key: /^http\.title$/, field: 'text', label: '<title>' },
  { key: /^http\.server$/, field: 'text', label: 'Server header' },
  { key: /^(ssdp|upnp)\.server$/, field: 'text', label: 'SSDP SERVER' },
  { key: /^upnp\.(modelname|modelnumber)$/, field: 'model', label: 'UPnP description' },
  { key: /^upnp\.manufacturer$/, field: 'vendor', label: 'UPnP description' },
  { key: /^upnp\.(friendlyname|modeldescription)$/, field: 'text', label: 'UPnP description' },
  { key: /^upnp\.(softwareversion|firmwareversion)$/, field: 'firmware', label: 'UPnP description' },
  // mDNS TXT keys (DNS-SD conventions: md for HomeKit and Chromecast, ty and usb_MDL for IPP printers).
  { key: /^mdns\.txt\.(md|model|mdl|usb_mdl|ty|product)$/, field: 'model', label: 'mDNS TXT' },
  { key: /^mdns\.txt\.(mf|manufacturer|usb_mfg|vendor)$/, field: 'vendor', label: 'mDNS TXT' },
  { key: /^mdns\.txt\.(fw|fv|fwvers|firmware|vers|version|swversion|sw)$/, field: 'firmware', label: 'mDNS TXT' },
  { key: /^mdns\.txt\.(fn|name)$/, field: 'text', label: 'mDNS TXT' },
  { key: /^onvif\.(model)$/, field: 'model', label: 'ONVIF' },
  { key: /^onvif\.(manufacturer)$/, field: 'vendor', label: 'ONVIF' },
  { key: /^onvif\.(firmwareversion)$/, field: 'firmware', label: 'ONVIF' },
];

/** Longest value kept: a statement is a line a person reads, not a page. */
export const STATEMENT_CHARS = 200;

function bounded(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > STATEMENT_CHARS ? `${line.slice(0, STATEMENT_CHARS - 1)}…` : line;
}

function where(identity: ServiceIdentity): string {
  return `${identity.service}${identity.tls ? ' over TLS' : ''} ${identity.port}/${identity.transport}`;
}

export function statementsFrom(identities: readonly ServiceIdentity[]): DeviceStatement[] {
  const statements: DeviceStatement[] = [];
  for (const identity of identities) {
    const at = { port: identity.port, transport: identity.transport };
    const seen = new Set<string>();
    const add = (source: string, field: DeviceStatement['field'], value: string) => {
      const text = bounded(value);
      if (text === '' || seen.has(`${field}\0${text}`)) return;
      seen.add(`${field}\0${text}`);
      statements.push({ source, ...at, field, value: text });
    };
    for (const [key, value] of Object.entries(identity.details)) {
      const known = DETAIL_FIELDS.find((d) => d.key.test(key.toLowerCase()));
      if (known) add(`${where(identity)} ${known.label} ${key}`, known.field, value);
    }
    if (identity.product) add(`${where(identity)} product`, 'text', identity.product);
    if (identity.banner) add(`${where(identity)} banner`, 'text', identity.banner);
  }
  return statements;
}
