import type { RunStartRecord } from '../evidence/records.js';
import { readRecords } from '../evidence/store.js';
import type { DeviceProfile } from '../profile/types.js';

/** What a unit would run now: its profile (as run, hands-on included) and the fleet's selection. */
export interface UnitRun {
  profile: DeviceProfile;
  only: string[] | null;
}

/**
 * Why a finished run folder does not stand for what the unit would run now (another profile, selection or
 * set of hands-on tests), or null when it does. `--resume` keeps only a run that answers the same question.
 */
export function configurationChange(dir: string, now: UnitRun): string | null {
  const start = readRecords(dir).find((r): r is RunStartRecord => r.type === 'run-start');
  if (!start) return 'its log has no run-start record';
  const changes: string[] = [];
  if (start.profile.sha256 !== now.profile.source.sha256) changes.push(`its profile changed (sha256 ${start.profile.sha256.slice(0, 12)}… then, ${now.profile.source.sha256.slice(0, 12)}… now)`);
  const [then, wanted] = [describeSelection(start.selection), describeSelection(now.only)];
  if (then !== wanted) changes.push(`it ran ${then}, and ${wanted} is asked now`);
  if (start.handsOn === undefined) changes.push('its log does not say which hands-on tests it was allowed');
  else if (describeHandsOn(start.handsOn) !== describeHandsOn(now.profile.handsOn)) {
    changes.push(`it was allowed ${describeHandsOn(start.handsOn)}, and ${describeHandsOn(now.profile.handsOn)} now`);
  }
  return changes.length > 0 ? changes.join('; ') : null;
}

function describeSelection(only: string[] | null): string {
  return only === null ? 'every requirement' : `only ${[...new Set(only)].sort().join(', ')}`;
}

function describeHandsOn(handsOn: readonly string[]): string {
  return handsOn.length === 0 ? 'no hands-on test' : `hands-on ${[...new Set(handsOn)].sort().join(', ')}`;
}
