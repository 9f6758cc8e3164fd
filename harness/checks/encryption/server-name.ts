import type { DeviceProfile } from '../../profile/types.js';

/** The name to send as SNI: the profile's host when it is a DNS name, none when it is the address itself. */
export function serverNameOf(profile: DeviceProfile): string | undefined {
  return profile.target.host === profile.target.address ? undefined : profile.target.host;
}
