import type { AuthObservation } from '../../probes/auth-observation.js';

/** One wrong-credential attempt of a burst, as measured. */
export interface BruteForceAttempt {
  index: number;
  phase: 'baseline' | 'burst' | 'parallel' | 'confirm' | 'recovery';
  /** Milliseconds from the start of the burst to the start of this attempt. */
  startMs: number;
  latencyMs: number;
  outcome: AuthObservation['outcome'];
  detail: string;
  failure: string | null;
  lockoutSignal: string | null;
  evidenceSeq: number;
}

export type BruteForceMechanism = 'lockout' | 'progressive-delay' | 'rate-limit' | 'none';

export interface BruteForceClassification {
  mechanism: BruteForceMechanism;
  /** Why, in words a lab can put in its report. */
  basis: string;
  /** Burst attempts that got a real verdict (accepted or rejected) before any hold-off. */
  guessesBeforeHoldOff: number;
  /** Index of the first attempt the device held off (locked, refused, reset), if any. */
  holdOffAt: number | null;
}
