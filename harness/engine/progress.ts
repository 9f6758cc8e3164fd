import type { Verdict } from '../verdicts/verdict.js';

export type ProgressEvent =
  | { type: 'planned'; total: number }
  | { type: 'check-start'; index: number; total: number; id: string; title: string }
  | { type: 'check-end'; index: number; total: number; id: string; verdict: Verdict; reason: string; durationMs: number }
  | { type: 'activity'; id: string; text: string }
  | { type: 'aborted'; reason: string };

export type ProgressListener = (event: ProgressEvent) => void;
