import type { Basis, Verdict } from '../verdicts/verdict.js';
import type { Artifact, Results, Target } from '../results/schema.js';
import type { Declarations } from '../profile/schema.js';
import type { InterfaceRow } from '../inventory/interfaces.js';

/**
 * The lines of evidence.jsonl, the run's append-only log. Everything a report shows is derived from
 * these records, so they must stay plain, serialisable JSON.
 */
export interface RunStartRecord {
  type: 'run-start';
  at: string;
  runId: string;
  tool: { name: 'jcstar'; version: string };
  profile: { path: string | null; sha256: string };
  device: Results['device'];
  target: { host: string; address: string; scope: string[] };
  /** Versions of the rule sets that judged the run; crypto carries "+profile" when the profile changed it. */
  rules: { catalogue: string; policy: string; crypto: string };
  selection: string[] | null;
  /** The vendor's declarations, so that reports can be rebuilt from the log alone. */
  declarations: Declarations;
}

export interface CheckPlannedRecord {
  type: 'check-planned';
  at: string;
  checkId: string;
  requirement: string;
  title: string;
  mandatory: boolean;
  basis: Basis;
  target: Target | null;
}

export interface CheckStartRecord {
  type: 'check-start';
  at: string;
  checkId: string;
}

export interface EvidenceRecord {
  type: 'evidence';
  seq: number;
  at: string;
  checkId: string;
  requirement: string | null;
  kind: 'exchange' | 'observation' | 'note';
  summary: string;
  target: Target | null;
  sent: string | null;
  received: string | null;
  artifacts: Artifact[];
  data: Record<string, unknown> | null;
}

export interface VerdictRecord {
  type: 'verdict';
  at: string;
  checkId: string;
  verdict: Verdict;
  reason: string;
  /** What is not recommended but did not decide the verdict; absent when none (and in logs written before warnings). */
  warnings?: string[];
  durationMs: number;
}

export interface RunEndRecord {
  type: 'run-end';
  at: string;
  status: 'complete' | 'interrupted' | 'aborted';
  statusReason: string | null;
}

/** The interface table, written once the inventory checks have run (before the checks it plans). */
export interface InterfacesRecord {
  type: 'interfaces';
  at: string;
  rows: InterfaceRow[];
}

export type RunRecord = RunStartRecord | CheckPlannedRecord | CheckStartRecord | EvidenceRecord | VerdictRecord | InterfacesRecord | RunEndRecord;

/** What a probe or check hands over; the store adds sequence, time and check identity. */
export interface EvidenceInput {
  kind: EvidenceRecord['kind'];
  summary: string;
  target?: Target | null;
  sent?: string | null;
  received?: string | null;
  data?: Record<string, unknown> | null;
  artifacts?: Array<{ name: string; bytes: Buffer | string; mediaType: string }>;
}
