import type { DeviceProfile } from '../profile/types.js';
import { UsageError } from './usage-error.js';

const SPEEDS = ['gentle', 'fast'] as const;
type ScanSpeed = (typeof SPEEDS)[number];

/** `--scan-speed`, checked before the profile is read. */
export function parseScanSpeed(speed: string | undefined): ScanSpeed | undefined {
  if (speed === undefined || (SPEEDS as readonly string[]).includes(speed)) return speed as ScanSpeed | undefined;
  throw new UsageError(`--scan-speed: expected ${SPEEDS.join(' or ')}, found "${speed}"`);
}

/** The profile with the policy's TCP scan speed overridden for this run. */
export function withScanSpeed(profile: DeviceProfile, speed: ScanSpeed | undefined): DeviceProfile {
  if (speed === undefined) return profile;
  return { ...profile, policy: { ...profile.policy, portScan: { ...profile.policy.portScan, speed } } };
}
