import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withHandsOn } from '../cli/hands-on.js';
import type { ProgressEvent } from '../engine/progress.js';
import { RunFolderError } from '../engine/run-folder.js';
import { runChecks } from '../engine/run.js';
import type { Fleet, FleetDevice } from './load.js';
import { buildFleetSummary, isFinishedRun, summarizeRunFolder, trySummarizeRunFolder, type DeviceSummary, type FleetSummary, type Outcome } from './summary.js';
import { configurationChange } from './resume.js';
import { checkUniqueInitialPasswords, CROSS_UNIT_FOLDER } from './unique-passwords.js';
import { writeFleetSummary } from './write-summary.js';

export type FleetEvent =
  | { type: 'device-start'; unit: string; index: number; total: number }
  | { type: 'device-skip'; unit: string; runId: string }
  /** `why`: the unit did not finish before, or finished under another configuration. */
  | { type: 'device-moved'; unit: string; to: string; why: string }
  | { type: 'device-end'; unit: string; index: number; total: number; device: DeviceSummary; durationMs: number }
  | { type: 'device-error'; unit: string; message: string }
  | { type: 'progress'; unit: string; event: ProgressEvent };

export interface FleetRunOptions {
  fleet: Fleet;
  /** The fleet folder: one run folder per unit, the cross-unit evidence and the summary. */
  out: string;
  /** Overrides the fleet file's concurrency. */
  concurrency?: number;
  /** Go on in an existing fleet folder: devices that finished under the same configuration are kept, the others run again. */
  resume?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: FleetEvent) => void;
}

export interface FleetOutcome {
  out: string;
  summary: FleetSummary;
}

/** Runs every device with the engine, at most `concurrency` at a time, then the cross-unit checks, then the summary. */
export async function runFleet(options: FleetRunOptions): Promise<FleetOutcome> {
  const { fleet } = options;
  const out = resolve(options.out);
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onEvent ?? (() => {});
  prepareFolder(out, options.resume === true);
  const notes: string[] = [];
  const absent: Outcome[] = [];
  const total = fleet.devices.length;
  let next = 0;
  const worker = async () => {
    while (next < total && !signal.aborted) {
      const index = next++;
      const device = fleet.devices[index]!;
      // Whatever one unit does (a full disk, a folder that cannot be moved), the others run and the summary is written.
      const note = await runDevice(fleet, device, index, out, options.resume === true, signal, emit).catch((err: unknown) => {
        const message = (err as Error)?.message ?? String(err);
        emit({ type: 'device-error', unit: device.unit, message });
        return `unit ${device.unit}: harness error: ${message}`;
      });
      if (note) {
        notes.push(note);
        absent.push('error');
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? fleet.concurrency, total));
  // Each running device listens on the fleet's signal once (its own listeners are on a signal of its own).
  setMaxListeners(concurrency + 10, signal);
  await Promise.all(Array.from({ length: concurrency }, worker));

  const devices: DeviceSummary[] = [];
  for (const d of fleet.devices) {
    const folder = join(out, d.unit);
    if (existsSync(join(folder, 'evidence.jsonl'))) {
      const summarized = trySummarizeRunFolder(folder, out);
      if ('device' in summarized) devices.push(summarized.device);
      else {
        notes.push(`unit ${d.unit}: ${summarized.problem}; --resume runs it again`);
        absent.push('error');
      }
    } else if (signal.aborted) {
      notes.push(`unit ${d.unit}: not run (the fleet was interrupted); --resume runs it`);
      absent.push('interrupted');
    }
  }
  // Each fleet run judges the units afresh, into a log of its own; an earlier one is kept, not appended to.
  if (existsSync(join(out, CROSS_UNIT_FOLDER))) renameSync(join(out, CROSS_UNIT_FOLDER), firstFree(join(out, `${CROSS_UNIT_FOLDER}.earlier`)));
  const crossUnit = [checkUniqueInitialPasswords(fleet.devices, out)];
  const summary = buildFleetSummary('fleet', devices, crossUnit, notes, signal.aborted ? [...absent, 'interrupted'] : absent);
  writeFleetSummary(out, summary);
  return { out, summary };
}

function prepareFolder(out: string, resume: boolean): void {
  if (resume) {
    if (!existsSync(out)) throw new RunFolderError(`--resume: no fleet folder ${out}`);
    return;
  }
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new RunFolderError(`fleet folder ${out} is not empty; choose a new --out folder, or --resume it`);
  }
  mkdirSync(out, { recursive: true });
}

/** One device's run; returns a note when it left no run folder to summarise. */
async function runDevice(fleet: Fleet, device: FleetDevice, index: number, out: string, resume: boolean, signal: AbortSignal, emit: (e: FleetEvent) => void): Promise<string | null> {
  const folder = join(out, device.unit);
  const profile = withHandsOn(device.profile, fleet.handsOn);
  if (resume && isFinishedRun(folder)) {
    const change = configurationChange(folder, { profile, only: fleet.only });
    if (change === null) {
      emit({ type: 'device-skip', unit: device.unit, runId: summarizeRunFolder(folder, out).runId });
      return null;
    }
    // A finished run of another profile or selection answers another question: kept, but not as this fleet's.
    const aside = firstFree(`${folder}.earlier`);
    renameSync(folder, aside);
    emit({ type: 'device-moved', unit: device.unit, to: aside, why: `finished before under another configuration (${change})` });
  }
  // The engine resumes only a TCP scan, not a whole run; an unfinished run is kept aside and the unit runs afresh.
  if (existsSync(folder) && readdirSync(folder).length > 0) {
    const aside = firstFree(`${folder}.interrupted`);
    renameSync(folder, aside);
    emit({ type: 'device-moved', unit: device.unit, to: aside, why: 'did not finish before' });
  }
  const started = Date.now();
  emit({ type: 'device-start', unit: device.unit, index, total: fleet.devices.length });
  const own = new AbortController();
  const forward = () => own.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  try {
    await runChecks({
      profile,
      only: fleet.only,
      out: folder,
      reportsDir: out,
      signal: own.signal,
      onProgress: (event) => emit({ type: 'progress', unit: device.unit, event }),
    });
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    emit({ type: 'device-error', unit: device.unit, message });
    if (!existsSync(join(folder, 'evidence.jsonl'))) return `unit ${device.unit}: harness error before its run folder was made: ${message}`;
  } finally {
    signal.removeEventListener('abort', forward);
  }
  const summarized = existsSync(join(folder, 'evidence.jsonl')) ? trySummarizeRunFolder(folder, out) : null;
  if (summarized && 'device' in summarized) emit({ type: 'device-end', unit: device.unit, index, total: fleet.devices.length, device: summarized.device, durationMs: Date.now() - started });
  return null;
}

const MAX_KEPT_ASIDE = 1000;

function firstFree(base: string): string {
  for (let n = 1; n <= MAX_KEPT_ASIDE; n++) {
    const candidate = `${base}-${n}`;
    if (!existsSync(candidate)) return candidate;
  }
  throw new RunFolderError(`${MAX_KEPT_ASIDE} earlier folders named ${base}-N are kept already; remove some`);
}
