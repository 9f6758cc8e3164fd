import { HANDS_ON, type DeviceProfile, type HandsOn } from '../profile/types.js';
import { UsageError } from './usage-error.js';

/** `--hands-on update,resilience,reset`, checked before the profile is read. */
export function parseHandsOn(list: string | undefined): HandsOn[] {
  if (list === undefined) return [];
  const chosen = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = chosen.filter((h) => !(HANDS_ON as readonly string[]).includes(h));
  if (unknown.length > 0 || chosen.length === 0) throw new UsageError(`--hands-on: expected a comma-separated list of ${HANDS_ON.join(', ')}, found "${list}"`);
  return chosen as HandsOn[];
}

/** The profile with the hands-on tests of the command line added to those it opts into itself. */
export function withHandsOn(profile: DeviceProfile, handsOn: HandsOn[]): DeviceProfile {
  if (handsOn.length === 0) return profile;
  const chosen = new Set([...profile.handsOn, ...handsOn]);
  return { ...profile, handsOn: HANDS_ON.filter((h) => chosen.has(h)) };
}
