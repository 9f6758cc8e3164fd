import { z } from 'zod';
import { VERDICTS } from '../verdicts/verdict.js';

/** scheme-<id>.json: one run seen through another label's requirements. Published as schemas/scheme-view.schema.json. */
export const SCHEME_VIEW_FORMAT_VERSION = 1;

const verdict = z.enum(VERDICTS);

export const SchemeViewRequirement = z.object({
  id: z.string(),
  title: z.string(),
  reference: z.string(),
  confirmed: z.boolean().describe('false when the mapping to ★1 is inferred'),
  source: z.string(),
  etsi: z.array(z.string()),
  star1: z
    .array(z.object({ id: z.string(), title: z.string(), verdict, reason: z.string() }))
    .describe('The ★1 requirements it maps to, as the run judged them'),
  verdict: verdict.nullable().describe('Rolled up from `star1`: any FAIL → FAIL, all PASS → PASS, else the weakest; null when no ★1 requirement maps to it'),
  reason: z.string(),
});

export const SchemeView = z.object({
  formatVersion: z.literal(SCHEME_VIEW_FORMAT_VERSION),
  tool: z.object({ name: z.literal('jcstar'), version: z.string() }),
  scheme: z.object({ id: z.string(), name: z.string(), title: z.string(), version: z.string(), basis: z.string() }),
  run: z.object({ id: z.string(), status: z.enum(['complete', 'interrupted', 'aborted']), finishedAt: z.iso.datetime() }),
  device: z.object({ vendor: z.string(), model: z.string(), firmware: z.string(), unit: z.string() }),
  summary: z.object({
    requirements: z.record(verdict, z.number().int()),
    notCovered: z.number().int().describe('Scheme requirements no ★1 requirement maps to'),
  }),
  requirements: z.array(SchemeViewRequirement),
});

export type SchemeViewRequirement = z.infer<typeof SchemeViewRequirement>;
export type SchemeView = z.infer<typeof SchemeView>;
