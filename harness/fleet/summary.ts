import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { loadCatalogue } from '../catalogue/load.js';
import { exitCodeFor, EXIT } from '../cli/exit-codes.js';
import type { RunRecord } from '../evidence/records.js';
import { EVIDENCE_FILE, readRecords } from '../evidence/store.js';
import { buildResults } from '../results/build.js';
import type { Results } from '../results/schema.js';
import { TOOL } from '../version.js';
import { VERDICTS } from '../verdicts/verdict.js';
import type { CrossUnitResult } from './unique-passwords.js';

/** fleet-summary.json: one line per device over its run folder, and the checks that span units. */
export const FLEET_SUMMARY_FORMAT_VERSION = 1;

const verdict = z.enum(VERDICTS);
const counts = z.record(verdict, z.number().int());

/** What a device's run amounts to, in the CLI's exit-code terms. */
export const DEVICE_OUTCOMES = ['fail', 'error', 'interrupted', 'no-fail'] as const;

export const DeviceSummary = z.object({
  unit: z.string(),
  folder: z.string().describe('Run folder, relative to the summary'),
  runId: z.string(),
  status: z.enum(['complete', 'interrupted', 'aborted']),
  statusReason: z.string().nullable(),
  outcome: z.enum(DEVICE_OUTCOMES).describe('fail: a requirement FAILs; error: harness error or unreachable; interrupted; no-fail: no FAIL and no ERROR'),
  device: z.object({ vendor: z.string(), model: z.string(), firmware: z.string(), unit: z.string() }),
  host: z.string(),
  requirements: counts,
  checks: counts,
  failing: z.array(z.string()).describe('IDs of the requirements that FAIL'),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
});

export const CrossUnitSummary = z.object({
  id: z.string(),
  requirement: z.string(),
  title: z.string(),
  verdict,
  reason: z.string(),
  units: z.array(z.string()),
  evidence: z.string().nullable().describe('Evidence log and record of the check, relative to the summary; null when it could not run'),
});

export const FleetSummary = z.object({
  formatVersion: z.literal(FLEET_SUMMARY_FORMAT_VERSION),
  tool: z.object({ name: z.literal('jcstar'), version: z.string() }),
  kind: z.enum(['fleet', 'merge']).describe('fleet: jcstar fleet ran the devices; merge: run folders combined after the fact'),
  generatedAt: z.iso.datetime(),
  outcome: z.enum(DEVICE_OUTCOMES).describe('The worst device outcome, FAIL also when a cross-unit check FAILs'),
  devices: z.array(DeviceSummary),
  crossUnit: z.array(CrossUnitSummary),
  notes: z.array(z.string()).describe('What the summary could not cover, e.g. devices not run'),
});

export type DeviceSummary = z.infer<typeof DeviceSummary>;
export type FleetSummary = z.infer<typeof FleetSummary>;
export type Outcome = DeviceSummary['outcome'];

/** True when the run folder's log ends with a complete run (what `--resume` skips); a log that cannot be read is no finished run. */
export function isFinishedRun(dir: string): boolean {
  if (!existsSync(join(dir, EVIDENCE_FILE))) return false;
  let records: RunRecord[];
  try {
    records = readRecords(dir);
  } catch {
    return false;
  }
  const end = records.reverse().find((r) => r.type === 'run-end');
  return end?.type === 'run-end' && end.status === 'complete';
}

/** Rebuilt from the folder's evidence log alone, as every report is. */
export function summarizeRunFolder(dir: string, summaryDir: string): DeviceSummary {
  const results = buildResults(readRecords(dir), loadCatalogue());
  return deviceSummary(results, relative(summaryDir, dir) || '.');
}

/**
 * The folder's summary, or why its log gives none (empty after a full disk or a kill, a corrupt line), so that
 * one unreadable unit becomes a note in the fleet's summary instead of stopping it.
 */
export function trySummarizeRunFolder(dir: string, summaryDir: string): { device: DeviceSummary } | { problem: string } {
  try {
    return { device: summarizeRunFolder(dir, summaryDir) };
  } catch (err) {
    return { problem: `its evidence log ${join(dir, EVIDENCE_FILE)} cannot be read as a run (${(err as Error)?.message ?? String(err)})` };
  }
}

function deviceSummary(results: Results, folder: string): DeviceSummary {
  const { vendor, model, firmware, unit } = results.device;
  return {
    unit,
    folder,
    runId: results.run.id,
    status: results.run.status,
    statusReason: results.run.statusReason,
    outcome: outcomeOf(exitCodeFor(results)),
    device: { vendor, model, firmware, unit },
    host: results.target.host,
    requirements: results.summary.requirements,
    checks: results.summary.checks,
    failing: results.requirements.filter((r) => r.verdict === 'FAIL').map((r) => r.id),
    startedAt: results.startedAt,
    finishedAt: results.finishedAt,
  };
}

function outcomeOf(code: number): Outcome {
  if (code === EXIT.INTERRUPTED) return 'interrupted';
  if (code === EXIT.FAIL) return 'fail';
  if (code === EXIT.HARNESS) return 'error';
  return 'no-fail';
}

/** Same precedence as the exit code: interrupted, then a finding, then a harness error. */
const PRECEDENCE: Outcome[] = ['interrupted', 'fail', 'error', 'no-fail'];

/** `absent`: outcomes of what has no run folder (the fleet interrupted, a harness error); `notes` say why. */
export function buildFleetSummary(kind: FleetSummary['kind'], devices: DeviceSummary[], crossUnit: CrossUnitResult[], notes: string[], absent: Outcome[] = []): FleetSummary {
  const outcomes = new Set<Outcome>([...devices.map((d) => d.outcome), ...absent, ...(crossUnit.some((c) => c.verdict === 'FAIL') ? (['fail'] as const) : [])]);
  return {
    formatVersion: FLEET_SUMMARY_FORMAT_VERSION,
    tool: TOOL,
    kind,
    generatedAt: new Date().toISOString(),
    outcome: PRECEDENCE.find((o) => outcomes.has(o)) ?? 'no-fail',
    devices,
    crossUnit: crossUnit.map(({ id, requirement, title, verdict, reason, units, evidence }) => ({ id, requirement, title, verdict, reason, units, evidence })),
    notes,
  };
}

export function exitCodeForFleet(summary: FleetSummary): number {
  return { interrupted: EXIT.INTERRUPTED, fail: EXIT.FAIL, error: EXIT.HARNESS, 'no-fail': EXIT.OK }[summary.outcome];
}
