import type { CryptoRuleChange } from '../crypto/effective.js';
import type { BaseCryptoRules } from '../crypto/load.js';
import { cryptoOutcome } from '../crypto/verdict.js';
import { judgedNote } from '../checks/encryption/judged.js';
import type { CheckPlannedRecord, EvidenceInput, EvidenceRecord, RejudgeRecord, RunRecord, VerdictRecord } from '../evidence/records.js';
import type { Finding } from '../profile/finding.js';
import type { CheckOutcome } from '../verdicts/outcome.js';
import { isJudgedCryptoObservation, judgeRecordedCrypto } from './crypto-observation.js';
import { rulesWithRunChanges } from './crypto-rules.js';

/** What `jcstar report` judges again with: a full crypto rule set file, loaded. */
export interface RejudgeRules {
  crypto: BaseCryptoRules;
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

/**
 * Judges a finished run's stored observations again under new rules, without the device. A check is judged
 * again only when its verdict is a pure function of a recorded observation and the rules: the crypto checks
 * of S1.1-12, whose observation names its judge and whose findings were recorded next to it. Every other
 * check keeps its stored verdict, and says why.
 */
export function rejudgeRun(records: RunRecord[], rules: RejudgeRules, source: RejudgeRecord['source'], now = new Date()): Rejudgement {
  const evidence = records.filter((r): r is EvidenceRecord => r.type === 'evidence');
  const verdicts = new Map(records.filter((r): r is VerdictRecord => r.type === 'verdict').map((r) => [r.checkId, r]));
  const planned = records.filter((r): r is CheckPlannedRecord => r.type === 'check-planned');
  const observations = evidence.filter(isJudgedCryptoObservation);
  const changes = (observations[0]?.data.rules as { changes?: CryptoRuleChange[] } | undefined)?.changes ?? [];
  const { rules: crypto, problems } = rulesWithRunChanges(rules.crypto, changes);
  if (problems.length > 0) throw new RejudgeRulesError(problems);

  let seq = Math.max(-1, ...evidence.map((e) => e.seq)) + 1;
  const notes: EvidenceRecord[] = [];
  const newVerdicts: VerdictRecord[] = [];
  const rejudge: RejudgeRecord = {
    type: 'rejudge',
    at: now.toISOString(),
    source,
    rules: { crypto: crypto.version },
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
    const observation = own.filter(isJudgedCryptoObservation).at(-1);
    // Only an observation the live check went on to judge: one it stopped short of judging has no findings note.
    const wasJudged = observation !== undefined && own.some((e) => e.kind === 'note' && e.seq > observation.seq && Array.isArray(e.data?.findings));
    if (!observation || !wasJudged) {
      rejudge.kept.push({ checkId: check.checkId, why: NEEDS_THE_DEVICE });
      continue;
    }
    const { findings, passReason } = judgeRecordedCrypto(observation, crypto);
    const outcome: CheckOutcome = cryptoOutcome(findings, crypto, passReason);
    const note: EvidenceInput = judgedNote('re-judged', crypto, findings, observation.seq);
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
