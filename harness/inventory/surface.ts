import type { ServiceIdentity, SurfaceView, TcpScanProgress, TcpScanResult, UdpScanResult } from './types.js';

/** An interrupted run's TCP scan, to go on from. */
export interface TcpScanResume {
  run: string;
  progress: TcpScanProgress;
}

/** The run's attack surface: the inventory checks fill it, every later check reads it. */
export class AttackSurface implements SurfaceView {
  tcp: TcpScanResult | null = null;
  udp: UdpScanResult | null = null;
  #identities = new Map<string, ServiceIdentity>();

  /**
   * @param resumeTcp the TCP scan of an interrupted run to go on from
   * @param saveTcpProgress keeps the scan's progress in the run folder, so that this run can be resumed too
   */
  constructor(
    readonly resumeTcp: TcpScanResume | null = null,
    readonly saveTcpProgress: (progress: TcpScanProgress) => void = () => {},
  ) {}

  get identities(): readonly ServiceIdentity[] {
    return [...this.#identities.values()].sort((a, b) => a.port - b.port || a.transport.localeCompare(b.transport));
  }

  identify(identity: ServiceIdentity): void {
    this.#identities.set(`${identity.port}/${identity.transport}`, identity);
  }
}
