import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { requirementIds } from '../catalogue/load.js';
import { formatPath, ProfileError, type ProfileProblem } from '../profile/errors.js';
import type { Finding } from '../profile/finding.js';
import { parseProfile, type LoadOptions } from '../profile/load.js';
import { SourceMap } from '../profile/locate.js';
import { describeIssue } from '../profile/schema-issues.js';
import type { DeviceProfile, HandsOn } from '../profile/types.js';
import { FleetDocument, type UnitOverride } from './schema.js';

/** One device of the fleet, ready to run: its run folder name (its unit) and its resolved profile. */
export interface FleetDevice {
  unit: string;
  profile: DeviceProfile;
}

export interface Fleet {
  file: string;
  concurrency: number;
  only: string[] | null;
  handsOn: HandsOn[];
  devices: FleetDevice[];
}

/** A unit's credentials are the only secrets a fleet file carries (as references); a literal is never quoted back. */
const FLEET_FILE = { schema: FleetDocument, isSecret: (path: readonly PropertyKey[]) => path.includes('credentials') && path.at(-1) === 'password' };

/** Run folder names come from serial numbers, which may hold anything. */
const FOLDER_SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** Reads, validates and resolves a fleet file and every profile it names; throws one ProfileError listing every problem. */
export async function loadFleet(file: string, options: LoadOptions = {}): Promise<Fleet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ProfileError([{ file, line: 1, column: 1, path: '', message: `cannot read fleet file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  const source = new SourceMap(text);
  const locate = (f: Finding): ProfileProblem => ({ file, ...(f.atKey ? source.keyAt(f.path) : source.valueAt(f.path)), path: formatPath(f.path), message: f.message });
  if (source.doc.errors.length > 0) {
    throw new ProfileError(source.doc.errors.map((e) => ({ file, ...source.position(e.pos[0]), path: '', message: `YAML syntax error: ${(e.message.split('\n')[0] ?? '').trim()}` })));
  }
  const data: unknown = source.doc.toJS();
  const parsed = FleetDocument.safeParse(data ?? {});
  if (!parsed.success) throw new ProfileError(parsed.error.issues.flatMap((issue) => describeIssue(issue, data, FLEET_FILE)).map(locate));
  const doc = parsed.data;

  const findings: Finding[] = [];
  const known = requirementIds();
  doc.only?.forEach((id, i) => {
    if (!known.includes(id)) findings.push({ path: ['only', i], message: `unknown requirement ID "${id}"` });
  });
  const problems: ProfileProblem[] = [];
  const devices: FleetDevice[] = [];
  const units: { unit: string; at: PropertyKey[] }[] = doc.devices.flatMap((entry, i) => (entry.units ?? []).map((u, j) => ({ unit: u.unit, at: ['devices', i, 'units', j, 'unit'] })));
  for (const [i, entry] of doc.devices.entries()) {
    const path = resolve(dirname(file), entry.profile);
    let base: string;
    try {
      base = await readFile(path, 'utf8');
    } catch (err) {
      findings.push({ path: ['devices', i, 'profile'], message: `cannot read profile ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    const variants = entry.units ? entry.units.map((u, j) => ({ text: withUnit(base, u), label: `${entry.profile} (unit ${u.unit})`, at: ['devices', i, 'units', j, 'unit'] as PropertyKey[] })) : [{ text: base, label: entry.profile, at: ['devices', i, 'profile'] as PropertyKey[] }];
    for (const variant of variants) {
      try {
        const profile = await parseProfile(variant.text, { ...options, file: variant.label, baseDir: dirname(path), path });
        devices.push({ unit: profile.device.unit, profile });
        if (!entry.units) units.push({ unit: profile.device.unit, at: variant.at });
      } catch (err) {
        if (!(err instanceof ProfileError)) throw err;
        problems.push(...err.problems);
      }
    }
  }
  const seen = new Set<string>();
  for (const { unit, at } of units) {
    if (!FOLDER_SAFE.test(unit)) findings.push({ path: at, message: `unit "${unit}" cannot name a run folder (letters, digits, . _ - only)` });
    if (seen.has(unit)) findings.push({ path: at, message: `unit "${unit}" appears twice; each unit runs once, into its own folder` });
    seen.add(unit);
  }
  if (findings.length > 0 || problems.length > 0) throw new ProfileError([...findings.map(locate), ...problems]);
  return { file, concurrency: doc.concurrency, only: doc.only ?? null, handsOn: doc.handsOn ?? [], devices };
}

/** The base profile with one unit's own values in place of the model's. */
function withUnit(base: string, unit: UnitOverride): string {
  let doc: Record<string, any>;
  try {
    doc = (parse(base) ?? {}) as Record<string, any>;
  } catch {
    return base; // the profile loader then reports its syntax error
  }
  doc.device = { ...doc.device, unit: unit.unit, ...(unit.mac ? { mac: unit.mac } : {}) };
  if (unit.host) doc.target = { ...doc.target, host: unit.host };
  if (unit.scope) doc.scope = unit.scope;
  for (const [name, credential] of Object.entries(unit.credentials ?? {})) {
    doc.credentials = { ...doc.credentials, [name]: { ...doc.credentials?.[name], ...credential } };
  }
  return stringify(doc);
}
