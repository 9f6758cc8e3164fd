import { COAP_PAYLOAD } from './coap.js';
import { DNS_PAYLOAD } from './dns.js';
import { DTLS_PAYLOAD } from './dtls.js';
import { MATTER_PAYLOAD } from './matter.js';
import { MDNS_PAYLOAD } from './mdns.js';
import { NAT_PMP_PAYLOAD } from './nat-pmp.js';
import { NTP_PAYLOAD } from './ntp.js';
import type { UdpPayload } from './payload.js';
import { SIP_PAYLOAD } from './sip.js';
import { SNMP_PAYLOAD } from './snmp.js';
import { SSDP_PAYLOAD } from './ssdp.js';
import { TFTP_PAYLOAD } from './tftp.js';
import { WS_DISCOVERY_PAYLOAD } from './ws-discovery.js';

/**
 * An empty datagram, for a port the policy adds without a payload of its own: few services answer it,
 * but ICMP port unreachable still tells closed from open|filtered, as nmap does for such ports.
 */
export const EMPTY_PAYLOAD: UdpPayload = { name: 'empty', build: () => Buffer.alloc(0), recognise: () => null };

/** The UDP inventory's payloads by port: the ports IoT devices listen on, each with the request its protocol answers. */
export const UDP_PORT_PAYLOADS: ReadonlyMap<number, UdpPayload> = new Map([
  [53, DNS_PAYLOAD], // routers and gateways run DNS forwarders (dnsmasq); an open resolver is an amplifier
  [69, TFTP_PAYLOAD], // firmware loaders and factory images; TFTP has no authentication at all
  [123, NTP_PAYLOAD], // gateways serve time to the LAN; monlist-era NTP is an amplifier
  [161, SNMP_PAYLOAD], // printers, routers, cameras: management over SNMP
  [1900, SSDP_PAYLOAD], // UPnP devices (TVs, routers, cameras, speakers) announce and describe themselves
  [3702, WS_DISCOVERY_PAYLOAD], // ONVIF cameras and network printers are found through WS-Discovery
  [5060, SIP_PAYLOAD], // video doorbells, intercoms and cameras with two-way audio speak SIP
  [5351, NAT_PMP_PAYLOAD], // home routers map ports for any LAN host through NAT-PMP/PCP, unauthenticated
  [5353, MDNS_PAYLOAD], // HomeKit, Chromecast, printers and most smart-home devices advertise over mDNS
  [5540, MATTER_PAYLOAD], // Matter smart-home nodes (commissionable and operational) listen here
  [5683, COAP_PAYLOAD], // constrained devices and LwM2M clients speak CoAP
  [5684, DTLS_PAYLOAD], // CoAP over DTLS (coaps), and LwM2M's secure port
]);

/** Every payload by name, as UdpScanSettings names them. */
export const UDP_PAYLOADS: ReadonlyMap<string, UdpPayload> = new Map([EMPTY_PAYLOAD, ...UDP_PORT_PAYLOADS.values()].map((p) => [p.name, p]));
