import type { BruteForceAttempt } from './observation.js';

const COLUMNS = ['index', 'phase', 'start_ms', 'latency_ms', 'outcome', 'detail', 'failure', 'lockout_signal', 'evidence_seq'] as const;

function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The per-attempt timeline as CSV (RFC 4180), for the evidence bundle and for spreadsheets. */
export function attemptsCsv(attempts: BruteForceAttempt[]): string {
  const rows = attempts.map((a) =>
    [a.index, a.phase, a.startMs.toFixed(1), a.latencyMs.toFixed(1), a.outcome, a.detail, a.failure, a.lockoutSignal, a.evidenceSeq].map(cell).join(','),
  );
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
