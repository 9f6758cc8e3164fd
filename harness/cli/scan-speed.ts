import type { DeviceProfile } from '../profile/types.js';
import { UsageError } from './usage-error.js';

const SPEEDS = ['gentle', 'fast'] as const;

/** `--scan-speed` overrides the policy's TCP scan speed for this run. */
export function withScanSpeed(profile: DeviceProfile, speed: string | undefined): DeviceProfile {
  if (speed === undefined) return profile;
  if (!(SPEEDS as readonly string[]).includes(speed)) throw new UsageError(`--scan-speed: expected ${SPEEDS.join(' or ')}, found "${speed}"`);
  const portScan = { ...profile.policy.portScan, speed: speed as (typeof SPEEDS)[number] };
  return { ...profile, policy: { ...profile.policy, portScan } };
}
