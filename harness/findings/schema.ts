import { z } from 'zod';
import { VERDICTS } from '../verdicts/verdict.js';

/** Findings: what a person must fix before applying for the label, derived from results.json alone. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const FindingEvidence = z.object({
  checkId: z.string(),
  seqs: z.array(z.number().int().nonnegative()).describe('Evidence records (their position in evidence.jsonl) that show the item'),
  artifacts: z.array(z.string()).describe('Paths of their artifacts, relative to the run folder'),
});

export const Finding = z
  .object({
    key: z.string().describe('Stable across runs of the same profile: the check ID and the offending item without run-specific detail'),
    requirement: z.string(),
    checkId: z.string(),
    checkTitle: z.string(),
    severity: Severity,
    item: z.string().describe('The offending item: a port and service, a crypto item, an account, or the check subject'),
    evidence: FindingEvidence,
    remedy: z.string().describe('One line: what to change on the device'),
  })
  .describe('One thing on the device that makes a check FAIL');

export const ReviewItem = z
  .object({
    requirement: z.string(),
    title: z.string(),
    verdict: z.enum(VERDICTS),
    reason: z.string(),
    checks: z.array(z.string()).describe('Its checks that are neither PASS nor NOT_APPLICABLE'),
  })
  .describe('A requirement a person must still review (MANUAL), or that jcstar could not decide (INCONCLUSIVE, ERROR)');

export type Finding = z.infer<typeof Finding>;
export type ReviewItem = z.infer<typeof ReviewItem>;
