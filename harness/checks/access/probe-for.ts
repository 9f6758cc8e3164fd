import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';
import { checkCoapAccess } from './coap.js';
import { checkFtpAccess } from './ftp.js';
import { checkHttpAccess } from './http.js';
import { checkMqttAccess } from './mqtt.js';
import { checkRtspAccess } from './rtsp.js';
import { checkSnmpAccess } from './snmp.js';
import { checkSshAccess } from './ssh.js';
import { checkTelnetAccess } from './telnet.js';

export type AccessCheck = (ctx: CheckContext, service: Service) => Promise<CheckOutcome>;

const CHECKS: Partial<Record<Service['protocol'], AccessCheck>> = {
  http: checkHttpAccess,
  https: checkHttpAccess,
  mqtt: checkMqttAccess,
  mqtts: checkMqttAccess,
  coap: checkCoapAccess,
  ssh: checkSshAccess,
  telnet: checkTelnetAccess,
  rtsp: checkRtspAccess,
  snmp: checkSnmpAccess,
  ftp: checkFtpAccess,
  ftps: checkFtpAccess,
};

/** The unauthenticated-access check for this service, or why there is none. */
export function accessCheckFor(service: Service): AccessCheck | { missing: string } {
  return CHECKS[service.protocol] ?? {
    missing: `jcstar has no unauthenticated-access probe for ${service.protocol} yet; try ${service.name} without credentials by hand`,
  };
}
