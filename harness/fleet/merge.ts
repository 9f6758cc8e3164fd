import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../cli/usage-error.js';
import { isBelow } from '../paths.js';
import { createRunFolder, newRunId } from '../engine/run-folder.js';
import { EVIDENCE_FILE } from '../evidence/store.js';
import { buildFleetSummary, FleetSummary, trySummarizeRunFolder, type DeviceSummary } from './summary.js';
import { UNIQUENESS_CHECK } from './unique-passwords.js';
import { FLEET_FILES, writeFleetSummary } from './write-summary.js';

export interface MergeOutcome {
  out: string;
  summary: FleetSummary;
}

/**
 * One summary over run folders made elsewhere (CI shards): each is rebuilt from its own evidence log.
 * Run folders keep no secrets, so the cross-unit password check cannot be done again here.
 */
export function mergeRuns(inputs: string[], out: string | undefined, reportsDir: string): MergeOutcome {
  const folders = inputs.flatMap((input) => runFoldersIn(resolve(input)));
  const dir = createRunFolder(`merge-${newRunId()}`, out, reportsDir);
  const devices: DeviceSummary[] = [];
  const unreadable: string[] = [];
  for (const f of folders) {
    const summarized = trySummarizeRunFolder(f.dir, dir);
    if ('device' in summarized) devices.push(summarized.device);
    else unreadable.push(`${f.dir}: ${summarized.problem}; left out`);
  }
  const notes = [...folders.flatMap((f) => f.notes), ...unreadable, ...duplicates(devices)];
  const units = devices.map((d) => d.unit);
  const crossUnit = {
    ...UNIQUENESS_CHECK,
    verdict: 'INCONCLUSIVE' as const,
    reason: 'not checked by merge: run folders hold no secrets, so initial passwords cannot be compared across units; run `jcstar fleet` with every unit\'s secrets on one machine for S1.1-02 uniqueness',
    units,
    evidence: null,
  };
  const summary = buildFleetSummary('merge', devices, [crossUnit], notes, unreadable.map(() => 'error' as const));
  writeFleetSummary(dir, summary);
  return { out: dir, summary };
}

interface Found {
  dir: string;
  notes: string[];
}

/** A run folder is itself; a fleet folder is the run folders its summary lists. */
function runFoldersIn(input: string): Found[] {
  if (existsSync(join(input, EVIDENCE_FILE))) return [{ dir: input, notes: [] }];
  const summaryFile = join(input, FLEET_FILES.json);
  if (!existsSync(summaryFile)) throw new UsageError(`${input} is neither a run folder (no ${EVIDENCE_FILE}) nor a fleet folder (no ${FLEET_FILES.json})`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(summaryFile, 'utf8'));
  } catch (err) {
    throw new UsageError(`${summaryFile} is not a fleet summary: ${(err as Error).message}`);
  }
  const parsed = FleetSummary.safeParse(json);
  if (!parsed.success) throw new UsageError(`${summaryFile} is not a fleet summary: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  // A summary is input like any other: it names run folders inside its fleet folder, never elsewhere on the machine.
  const outside = parsed.data.devices.filter((d) => !isInside(input, d.folder)).map((d) => JSON.stringify(d.folder));
  if (outside.length > 0) throw new UsageError(`${summaryFile} lists run folders outside its fleet folder: ${outside.join(', ')}`);
  const carried = parsed.data.crossUnit
    .filter((c) => c.evidence !== null)
    .map((c) => `${input} recorded ${c.id} ${c.verdict} over units ${c.units.join(', ')}: ${c.reason}`);
  const found = parsed.data.devices.map((d) => ({ dir: resolve(input, d.folder), notes: [] as string[] }));
  const missing = found.filter((f) => !existsSync(join(f.dir, EVIDENCE_FILE)));
  if (missing.length > 0) throw new UsageError(`fleet folder ${input} lists run folders that are missing: ${missing.map((m) => m.dir).join(', ')}`);
  return found.map((f, i) => (i === 0 ? { ...f, notes: carried } : f));
}

/** `folder` is relative and stays within `fleetDir`, also once symbolic links are followed. */
function isInside(fleetDir: string, folder: string): boolean {
  if (isAbsolute(folder)) return false;
  const target = resolve(fleetDir, folder);
  if (!isBelow(fleetDir, target)) return false;
  if (!existsSync(target)) return true; // reported as missing next
  return isBelow(realpathSync(fleetDir), realpathSync(target));
}

function duplicates(devices: DeviceSummary[]): string[] {
  const byUnit = new Map<string, DeviceSummary[]>();
  for (const d of devices) byUnit.set(d.unit, [...(byUnit.get(d.unit) ?? []), d]);
  return [...byUnit].filter(([, runs]) => runs.length > 1).map(([unit, runs]) => `unit ${unit} appears in ${runs.length} run folders (${runs.map((r) => r.runId).join(', ')}); each is listed`);
}
