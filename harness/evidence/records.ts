import type { Basis, Verdict } from '../verdicts/verdict.js';
import type { Artifact, Results, Target } from '../results/schema.js';
import type { Declarations } from '../profile/schema.js';
import type { HandsOn } from '../profile/types.js';
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
  /** The hands-on tests the run was allowed (profile and command line); absent in logs written before it was recorded. */
  handsOn?: HandsOn[];
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

/**
 * Written by `jcstar report --rules/--policy` into a copy of a run's log, after the run's own records: the
 * rules the stored observations were judged again under. Verdict records that follow it replace the run's.
 */
export interface RejudgeRecord {
  type: 'rejudge';
  at: string;
  /** The run folder judged again, and the SHA-256 of its evidence.jsonl as read. */
  source: { runDir: string; evidenceSha256: string };
  /** The rule versions that changed; results.json's `rules` shows them. */
  rules: Partial<RunStartRecord['rules']>;
  /** Checks judged again from their stored observation, and checks that kept their stored verdict. */
  rejudged: string[];
  kept: Array<{ checkId: string; why: string }>;
  /** Checks whose verdict changed. */
  changes: Array<{ checkId: string; requirement: string; from: Verdict; to: Verdict; reason: string }>;
}

export type RunRecord = RunStartRecord | CheckPlannedRecord | CheckStartRecord | EvidenceRecord | VerdictRecord | InterfacesRecord | RunEndRecord | RejudgeRecord;

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
