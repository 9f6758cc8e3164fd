import { readTrustAnchors } from '../../profile/trust-anchors.js';
import type { Service } from '../../profile/types.js';

/** The DER certificates clients of this service trust; the loader made the paths absolute and checked them. */
export function trustAnchorsOf(service: Service): Buffer[] {
  return (service.trustAnchors ?? []).flatMap(readTrustAnchors);
}
