import type { ServiceIdentity } from '../../harness/inventory/types.js';

/** A ServiceIdentity as identification would report it, for tests that start after identification. */
export function identity(port: number, service: string, extra: Partial<ServiceIdentity> = {}): ServiceIdentity {
  return {
    port,
    transport: 'tcp',
    service,
    tls: false,
    protocol: null,
    product: null,
    banner: null,
    auth: null,
    details: {},
    exchanges: [],
    durationMs: 1,
    ...extra,
  };
}
