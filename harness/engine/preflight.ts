import type { EvidenceStore } from '../evidence/store.js';
import type { GuardedNetwork } from '../net/network.js';
import { classifyNetError } from '../net/errors.js';
import type { DeviceProfile } from '../profile/types.js';

export const PREFLIGHT_ID = 'preflight';

/**
 * Before any check, one TCP connection to each declared TCP service. If none answers, the device is
 * unreachable and the run stops early instead of timing out check by check. UDP-only profiles skip it.
 */
export async function preflight(profile: DeviceProfile, net: GuardedNetwork, store: EvidenceStore, signal: AbortSignal): Promise<string | null> {
  const tcp = profile.services.filter((s) => s.transport === 'tcp');
  if (tcp.length === 0) return null;
  const failures: string[] = [];
  for (const service of tcp) {
    const target = { host: profile.target.address, port: service.port, protocol: 'tcp' };
    try {
      const socket = await net.connectTcp(target.host, service.port, { signal });
      socket.destroy();
      store.record(PREFLIGHT_ID, null, { kind: 'observation', summary: `TCP ${service.port} (${service.name}) accepts connections`, target });
      return null;
    } catch (err) {
      const e = classifyNetError(err);
      if (e.failure === 'aborted') throw err;
      failures.push(`${service.name} ${service.port}/tcp ${e.failure}`);
      store.record(PREFLIGHT_ID, null, { kind: 'observation', summary: `TCP ${service.port} (${service.name}) ${e.failure}: ${e.message}`, target });
    }
  }
  return `target ${profile.target.host} unreachable: no declared TCP service answered (${failures.join('; ')})`;
}
