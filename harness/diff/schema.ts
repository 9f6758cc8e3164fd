import { z } from 'zod';
import { Finding } from '../findings/schema.js';
import { VERDICTS } from '../verdicts/verdict.js';

/** `jcstar diff --json`: what changed between two runs (before and after a firmware fix). Published as schemas/diff.schema.json. */
export const DIFF_FORMAT_VERSION = 1;

const verdictOrAbsent = z.enum(VERDICTS).nullable().describe('null when the run has no such entry');

export const RunRef = z.object({
  dir: z.string().describe('The run folder as given on the command line'),
  runId: z.string(),
  status: z.enum(['complete', 'interrupted', 'aborted']),
  device: z.object({ vendor: z.string(), model: z.string(), firmware: z.string(), unit: z.string() }),
});

export const VerdictChange = z.object({
  id: z.string(),
  change: z.enum(['changed', 'added', 'removed']).describe('added: only in the second run; removed: only in the first'),
  before: verdictOrAbsent,
  after: verdictOrAbsent,
});

export const RunDiff = z.object({
  formatVersion: z.literal(DIFF_FORMAT_VERSION),
  before: RunRef,
  after: RunRef,
  requirements: z.array(VerdictChange).describe('Requirements whose verdict differs, in catalogue order'),
  checks: z.array(VerdictChange).describe('Checks whose verdict differs, or that only one run has'),
  findings: z.object({
    fixed: z.array(Finding).describe('In the first run, not in the second (as the first run had them)'),
    new: z.array(Finding).describe('In the second run, not in the first'),
    unchanged: z.array(Finding).describe('In both (as the second run has them)'),
  }),
  newFails: z.array(z.string()).describe('Requirement and check IDs that FAIL in the second run and did not in the first'),
  regressions: z
    .array(z.string())
    .describe(
      'Why the second run regresses, one line each: it did not complete ("run-b was aborted: …"), a verdict became FAIL or was PASS/NOT_APPLICABLE and is now anything else or absent ("S1.1-04: PASS → INCONCLUSIVE"), a new finding',
    ),
  regression: z.boolean().describe('regressions is not empty: `jcstar diff` exits 1'),
});

export type RunRef = z.infer<typeof RunRef>;
export type VerdictChange = z.infer<typeof VerdictChange>;
export type RunDiff = z.infer<typeof RunDiff>;
