import type { AuthMechanism, Protocol } from '../profile/schema.js';

/** Observations of the attack surface: what answers on the device, found without the profile's help. */

export type Transport = 'tcp' | 'udp';

/**
 * nmap's port states. A UDP port that did not answer is `open|filtered`, never `open`; `closed` needs a
 * refusal (TCP RST, ICMP port unreachable); `filtered` is a TCP port that never answered.
 */
export type PortState = 'open' | 'closed' | 'filtered' | 'open|filtered';

export interface PortStatus {
  port: number;
  transport: Transport;
  state: PortState;
  /** Why, in nmap's --reason words: syn-ack, conn-refused, no-response, udp-response, port-unreach… */
  reason: string;
}

/** A TCP scan in progress or finished; serialisable, so an interrupted scan resumes where it stopped. */
export interface TcpScanProgress {
  host: string;
  /** The ports the scan covers, as nmap ranges ("1-65535"). */
  ports: string;
  /** Ports already answered for (any state), as ranges. */
  done: string;
  open: number[];
  filtered: number[];
  closedCount: number;
}

export interface TcpScanResult extends TcpScanProgress {
  durationMs: number;
  /** Connection attempts made (retries included). */
  attempts: number;
  /** The run this scan continued, when it resumed an interrupted one. */
  resumedFrom: string | null;
}

export interface UdpScanResult {
  host: string;
  /** One entry per probed port, with the protocol payload sent and what (if anything) came back. */
  ports: Array<PortStatus & { payload: string; identity: ServiceIdentity | null }>;
  durationMs: number;
}

/**
 * What identification found on one open port. `service` is jcstar's name for what answered; `protocol`
 * is the profile protocol a check speaks to it (null when jcstar has no check for it, e.g. adb).
 */
export interface ServiceIdentity {
  port: number;
  transport: Transport;
  /** ssh, telnet, http, ftp, mqtt, rtsp, coap, coap+tcp, adb, upnp, onvif, snmp, dtls, ssdp, mdns, ws-discovery, ntp, tftp, dns, matter, gdbserver, unknown */
  service: string;
  /** TLS (DTLS on UDP) wraps the service. */
  tls: boolean;
  protocol: Protocol | null;
  /** Software and version as the service names itself: "OpenSSH_9.2p1", "nginx/1.22.1", "dropbear_2022.83". */
  product: string | null;
  /** One printable line for people: the banner's first line, the HTTP title… */
  banner: string | null;
  /** How the service authenticates, as far as it showed it (HTTP 401 Basic, SSH methods, MQTT CONNACK 5…). */
  auth: AuthMechanism | null;
  /** Facts read on the way ("http.server", "http.title", "upnp.location", "mdns.txt.md"…), printable, bounded. */
  details: Record<string, string>;
  /** The exchanges that recognised it: printable excerpts, at most a few hundred bytes each. */
  exchanges: Array<{ probe: string; sent: string; received: string }>;
  durationMs: number;
}

/** Something the device says about itself (S1.1-10), with where it was read. */
export interface DeviceStatement {
  /** Where: "http 80/tcp <title>", "snmp 161/udp sysDescr", "upnp description modelNumber", "mdns TXT md"… */
  source: string;
  port: number | null;
  transport: Transport | null;
  /** model: a field that names the model (UPnP modelName/modelNumber, mDNS md, SNMP sysObjectID-free text is `text`). */
  field: 'vendor' | 'model' | 'firmware' | 'text';
  value: string;
}

/** The attack surface as the inventory checks found it, shared read-only with every later check of the run. */
export interface SurfaceView {
  readonly tcp: TcpScanResult | null;
  readonly udp: UdpScanResult | null;
  /** One per open TCP port and per answering UDP port, in port order. */
  readonly identities: readonly ServiceIdentity[];
}
