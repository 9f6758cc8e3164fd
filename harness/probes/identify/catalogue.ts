import { adb } from './recognisers/adb.js';
import { coapTcp } from './recognisers/coap-tcp.js';
import { ftp } from './recognisers/ftp.js';
import { gdbserver } from './recognisers/gdbserver.js';
import { http } from './recognisers/http.js';
import { mqtt } from './recognisers/mqtt.js';
import { rtsp } from './recognisers/rtsp.js';
import { smtp } from './recognisers/smtp.js';
import { ssh } from './recognisers/ssh.js';
import { telnet } from './recognisers/telnet.js';
import { tls } from './recognisers/tls.js';
import type { Recogniser } from './recogniser.js';

/** Every recogniser, in the order a reply is matched against them (SMTP's 220 before FTP's). */
export const RECOGNISERS: readonly Recogniser[] = [ssh, smtp, ftp, telnet, http, rtsp, tls, mqtt, coapTcp, adb, gdbserver];

/** Probes sent to a port that said nothing first, most likely first: what IoT devices serve most. */
export const PROBE_ORDER: readonly Recogniser[] = [tls, http, mqtt, rtsp, coapTcp, adb, gdbserver];
/** Inside TLS: the protocols IoT devices wrap in it (HTTPS, MQTTS, RTSPS, CoAP over TLS). */
export const PROBE_ORDER_IN_TLS: readonly Recogniser[] = [http, mqtt, rtsp, coapTcp];

export function recogniserFor(service: string): Recogniser | undefined {
  return RECOGNISERS.find((r) => r.service === service);
}
