import type { Protocol } from '../../../profile/schema.js';
import type { Service } from '../../../profile/types.js';
import type { CheckContext } from '../../../suite/context.js';
import type { CheckOutcome } from '../../../verdicts/outcome.js';
import { checkCoapPlaintext } from './coap.js';
import { checkFtpPlaintext } from './ftp.js';
import { checkHttpPlaintext } from './http.js';
import { checkMqttPlaintext } from './mqtt.js';
import { checkRtspPlaintext } from './rtsp.js';
import { checkSnmpPlaintext } from './snmp.js';
import { checkTelnetPlaintext } from './telnet.js';
import { checkUnprobedPlaintext } from './unprobed.js';

export type PlaintextCheck = (ctx: CheckContext, service: Service) => Promise<CheckOutcome>;

/** Every protocol the profile accepts; null where it is encrypted by design (TLS, DTLS or SSH), which other checks grade. */
const CHECKS: Record<Protocol, PlaintextCheck | null> = {
  http: checkHttpPlaintext,
  https: null,
  ssh: null,
  telnet: checkTelnetPlaintext,
  mqtt: checkMqttPlaintext,
  mqtts: null,
  coap: checkCoapPlaintext,
  coaps: null,
  rtsp: checkRtspPlaintext,
  rtsps: null,
  ftp: checkFtpPlaintext,
  ftps: null,
  snmp: checkSnmpPlaintext,
  upnp: checkUnprobedPlaintext,
  other: checkUnprobedPlaintext,
};

/** The S1.1-12 plaintext-channel check for this service, or null when its protocol is encrypted by design. */
export function plaintextCheckFor(service: Service): PlaintextCheck | null {
  return CHECKS[service.protocol];
}
