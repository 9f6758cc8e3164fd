import type { ServiceIdentity, SurfaceView, TcpScanResult, UdpScanResult } from './types.js';

/** The run's attack surface: the inventory checks fill it, every later check reads it. */
export class AttackSurface implements SurfaceView {
  tcp: TcpScanResult | null = null;
  udp: UdpScanResult | null = null;
  #identities = new Map<string, ServiceIdentity>();

  get identities(): readonly ServiceIdentity[] {
    return [...this.#identities.values()].sort((a, b) => a.port - b.port || a.transport.localeCompare(b.transport));
  }

  identify(identity: ServiceIdentity): void {
    this.#identities.set(`${identity.port}/${identity.transport}`, identity);
  }
}
