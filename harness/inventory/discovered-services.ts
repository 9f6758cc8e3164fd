import { defaultTransport, type AuthMechanism, type Protocol } from '../profile/schema.js';
import type { DeviceProfile, Service } from '../profile/types.js';
import type { ServiceIdentity } from './types.js';

/**
 * How a protocol most likely authenticates when identification could not tell: the login an attacker
 * would try. A web UI that neither challenged nor answered 200 (a redirect, an unknown scheme) is taken
 * for a form login, so that S1.1-02 plans a check for it (INCONCLUSIVE until its login is declared)
 * rather than none.
 */
const LIKELY_AUTH: Record<Protocol, AuthMechanism> = {
  http: 'form', https: 'form', ssh: 'password', telnet: 'password', mqtt: 'password', mqtts: 'password',
  coap: 'none', coaps: 'psk', rtsp: 'basic', rtsps: 'basic', ftp: 'password', ftps: 'password', snmp: 'community',
  upnp: 'none', other: 'none',
};

/** Whether a declared service occupies this port on this transport. */
export function declaredAt(profile: DeviceProfile, port: number, transport: 'tcp' | 'udp'): Service | undefined {
  return profile.services.find((s) => s.port === port && s.transport === transport);
}

/**
 * The services the inventory identified on ports no declared service claims, as services the suites can
 * test: named "undeclared-<protocol>-<port>", with the authentication identification saw (or the likely one).
 */
export function discoveredServices(profile: DeviceProfile, identities: readonly ServiceIdentity[]): Service[] {
  return identities.flatMap((identity) => {
    const { protocol } = identity;
    if (!protocol || protocol === 'other' || declaredAt(profile, identity.port, identity.transport)) return [];
    return [{
      // The transport joins the name only when it is not the protocol's usual one (CoAP over TCP).
      name: `undeclared-${protocol}-${identity.port}${identity.transport === defaultTransport(protocol) ? '' : `-${identity.transport}`}`,
      protocol,
      port: identity.port,
      transport: identity.transport,
      auth: identity.auth ?? LIKELY_AUTH[protocol],
      discovered: identity,
    }];
  });
}
