import type { Verdict } from '../verdicts/verdict.js';

/** How each verdict looks and reads, shared by every reporter so the formats agree. */
export interface VerdictStyle {
  /** SGR parameters for the console table. */
  ansi: string;
  /** Badge colours for HTML; text and background chosen to stay legible in print. */
  css: { fg: string; bg: string };
  meaning: string;
}

export const VERDICT_STYLE: Record<Verdict, VerdictStyle> = {
  PASS: {
    ansi: '32',
    css: { fg: '#0b5d1e', bg: '#d9f2df' },
    meaning: 'The device showed, or the declaration established, what the requirement asks for.',
  },
  FAIL: {
    ansi: '31',
    css: { fg: '#8a1111', bg: '#fadada' },
    meaning: 'There is an indication of non-conformity; see the evidence.',
  },
  NOT_APPLICABLE: {
    ansi: '90',
    css: { fg: '#444444', bg: '#e6e6e6' },
    meaning: 'The check does not apply to this device; the reason is the justification.',
  },
  INCONCLUSIVE: {
    ansi: '33',
    css: { fg: '#6b4e00', bg: '#fff1c2' },
    meaning: 'The harness could not establish PASS or FAIL; the reason says what was missing.',
  },
  MANUAL: {
    ansi: '36',
    css: { fg: '#0b4f5c', bg: '#d6f1f5' },
    meaning: 'A person must review a vendor declaration or perform a step the harness cannot.',
  },
  ERROR: {
    ansi: '35',
    css: { fg: '#6a1b6a', bg: '#f4dcf4' },
    meaning: 'The harness itself failed; this says nothing about the device.',
  },
};

/** Amber for warnings: apart from INCONCLUSIVE's yellow, legible in print. */
export const WARNING_STYLE = { fg: '#7a3e00', bg: '#ffe3c2' } as const;
