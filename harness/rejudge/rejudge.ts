import { judgedNote } from '../checks/encryption/judged.js';
import { judgeBruteForce, type BruteForceJudgeInputs } from '../checks/brute-force/verdict.js';
import type { CryptoRuleChange, EffectiveCryptoRules } from '../crypto/effective.js';
import type { BaseCryptoRules } from '../crypto/load.js';
import { cryptoOutcome } from '../crypto/verdict.js';
import type { CheckPlannedRecord, EvidenceInput, EvidenceRecord, RejudgeRecord, RunRecord, VerdictRecord } from '../evidence/records.js';
import type { Policy } from '../policy/schema.js';
import type { Finding } from '../profile/finding.js';
import type { CheckOutcome } from '../verdicts/outcome.js';
import { isJudgedCryptoObservation, judgeRecordedCrypto, type RecordedCryptoObservation } from './crypto-observation.js';
import { rulesWithRunChanges } from './crypto-rules.js';

type CryptoObservationRecord = EvidenceRecord & { data: RecordedCryptoObservation };

/** What `jcstar report` judges again with: a full crypto rule set, and a policy with the run's overrides; either may be absent. */
export interface RejudgeRules {
  crypto: BaseCryptoRules | null;
  policy: Policy | null;
}

/** The records to append, after the run's own, to a copy of its log. */
export interface Rejudgement {
  rejudge: RejudgeRecord;
  records: RunRecord[];
}

/** The run's own crypto changes do not apply to the new rule set (e.g. a restriction to an item it no longer allows). */
export class RejudgeRulesError extends Error {
  constructor(readonly problems: Finding[]) {
    super(`the run's crypto changes do not apply to the new rules: ${problems.map((p) => `crypto.${p.path.join('.')}: ${p.message}`).join('; ')}`);
  }
}

export const NEEDS_THE_DEVICE = 'not re-judged: needs the device';

/** One check judged again: its new outcome, and the note that says under what. */
type Judged = { outcome: CheckOutcome; note: EvidenceInput; observation: EvidenceRecord };

/**
 * Judges a finished run's stored observations again under new rules, without the device. A check is judged
 * again only when its verdict is a pure function of a recorded observation and the rules: the crypto checks
 * of S1.1-12 (under --rules) and S1.1-04's verdict on a projected guess rate (under --policy). Every other
 * check keeps its stored verdict, and says why.
 */
export function rejudgeRun(records: RunRecord[], rules: RejudgeRules, source: RejudgeRecord['source'], now = new Date()): Rejudgement {
  const evidence = records.filter((r): r is EvidenceRecord => r.type === 'evidence');
  const verdicts = new Map(records.filter((r): r is VerdictRecord => r.type === 'verdict').map((r) => [r.checkId, r]));
  const planned = records.filter((r): r is CheckPlannedRecord => r.type === 'check-planned');
  const crypto = rules.crypto ? cryptoRules(rules.crypto, evidence) : null;

  let seq = Math.max(-1, ...evidence.map((e) => e.seq)) + 1;
  const notes: EvidenceRecord[] = [];
  const newVerdicts: VerdictRecord[] = [];
  const rejudge: RejudgeRecord = {
    type: 'rejudge',
    at: now.toISOString(),
    source,
    rules: { ...(crypto ? { crypto: crypto.version } : {}), ...(rules.policy ? { policy: rules.policy.version } : {}) },
    rejudged: [],
    kept: [],
    changes: [],
  };

  for (const check of planned) {
    const before = verdicts.get(check.checkId);
    if (!before) {
      rejudge.kept.push({ checkId: check.checkId, why: 'not re-judged: the check did not run' });
      continue;
    }
    const own = evidence.filter((e) => e.checkId === check.checkId);
    const cryptoObservation = judgedCryptoObservation(own);
    const bruteForceObservation = judgedBruteForceObservation(own);
    let judged: Judged;
    if (cryptoObservation && crypto) judged = judgeCrypto(cryptoObservation, crypto);
    else if (bruteForceObservation && rules.policy) judged = judgeBruteForceAgain(bruteForceObservation, rules.policy);
    else {
      const why = cryptoObservation ? 'not re-judged: no crypto rules given' : bruteForceObservation ? 'not re-judged: no policy given' : NEEDS_THE_DEVICE;
      rejudge.kept.push({ checkId: check.checkId, why });
      continue;
    }
    const { outcome, note, observation } = judged;
    notes.push({
      type: 'evidence', seq: seq++, at: now.toISOString(), checkId: check.checkId, requirement: check.requirement,
      kind: note.kind, summary: note.summary, target: observation.target, sent: null, received: null, artifacts: [], data: note.data ?? null,
    });
    newVerdicts.push({
      type: 'verdict', at: before.at, checkId: check.checkId, verdict: outcome.verdict, reason: outcome.reason,
      ...(outcome.warnings?.length ? { warnings: outcome.warnings } : {}), durationMs: before.durationMs,
    });
    rejudge.rejudged.push(check.checkId);
    if (outcome.verdict !== before.verdict) {
      rejudge.changes.push({ checkId: check.checkId, requirement: check.requirement, from: before.verdict, to: outcome.verdict, reason: outcome.reason });
    }
  }
  return { rejudge, records: [rejudge, ...notes, ...newVerdicts] };
}

/** The new base with the run's own changes, as every crypto observation of the run recorded them. */
function cryptoRules(base: BaseCryptoRules, evidence: EvidenceRecord[]): EffectiveCryptoRules {
  const first = evidence.find(isJudgedCryptoObservation);
  const changes = (first?.data.rules as { changes?: CryptoRuleChange[] } | undefined)?.changes ?? [];
  const { rules, problems } = rulesWithRunChanges(base, changes);
  if (problems.length > 0) throw new RejudgeRulesError(problems);
  return rules;
}

/** Only an observation the live check went on to judge: one it stopped short of judging has no findings note. */
function judgedCryptoObservation(own: EvidenceRecord[]): CryptoObservationRecord | null {
  const observation = own.filter(isJudgedCryptoObservation).at(-1);
  return observation && own.some((e) => e.kind === 'note' && e.seq > observation.seq && Array.isArray(e.data?.findings)) ? observation : null;
}

function judgeCrypto(observation: CryptoObservationRecord, rules: EffectiveCryptoRules): Judged {
  const { findings, passReason } = judgeRecordedCrypto(observation, rules);
  return { outcome: cryptoOutcome(findings, rules, passReason), note: judgedNote('re-judged', rules, findings, observation.seq), observation };
}

/** S1.1-04's observation when the trial ended on a projection (its `judged` inputs were recorded); every other ending needs the device. */
function judgedBruteForceObservation(own: EvidenceRecord[]): EvidenceRecord | null {
  return own.filter((e) => e.kind === 'observation' && typeof e.data?.judged === 'object' && e.data.judged !== null).at(-1) ?? null;
}

function judgeBruteForceAgain(observation: EvidenceRecord, policy: Policy): Judged {
  const inputs = observation.data!.judged as BruteForceJudgeInputs;
  const limit = policy.bruteForce.maxGuessesPerDay;
  return {
    outcome: judgeBruteForce(inputs, limit),
    note: {
      kind: 'note',
      summary: `re-judged under ${policy.version}: ${inputs.projectedGuessesPerDay.toLocaleString('en-US')} guesses/day projected against a limit of ${limit.toLocaleString('en-US')} (evidence #${observation.seq})`,
      data: { policy: policy.version, maxGuessesPerDay: limit },
    },
    observation,
  };
}
