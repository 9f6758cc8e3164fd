import type { CheckContext } from '../suite/context.js';

/**
 * Whether a redirect hands the client to HTTPS on the device itself. Only then does it protect anything:
 * a redirect to another host (a cloud portal, an attacker's page) takes the user somewhere jcstar cannot
 * judge. A host name counts only when it is the one the profile names; nothing is resolved.
 */
export function isHttpsOnDevice(ctx: CheckContext, location: URL | null): boolean {
  if (location?.protocol !== 'https:') return false;
  const host = location.hostname.replace(/^\[(.*)\]$/, '$1');
  return ctx.net.guard.allows(host) || host.toLowerCase() === ctx.profile.target.host.toLowerCase();
}
