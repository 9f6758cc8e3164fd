import type { Catalogue } from '../catalogue/schema.js';
import type { CheckPlannedRecord, EvidenceRecord, InterfacesRecord, RejudgeRecord, RunEndRecord, RunRecord, RunStartRecord, VerdictRecord } from '../evidence/records.js';
import { rollUp } from '../verdicts/rollup.js';
import { VERDICTS, type Verdict } from '../verdicts/verdict.js';
import { recognise } from './recognition.js';
import { RESULTS_FORMAT_VERSION, type CheckResult, type Declaration, type InterfaceEntry, type RequirementResult, type Results } from './schema.js';

function counts(verdicts: Verdict[]): Record<Verdict, number> {
  const out = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const v of verdicts) out[v]++;
  return out;
}

/**
 * Derives results.json from the evidence log alone (plus the catalogue), so any
 * report can be rebuilt from a run folder, including an interrupted one.
 */
export function buildResults(records: RunRecord[], catalogue: Catalogue): Results {
  const start = records.find((r): r is RunStartRecord => r.type === 'run-start');
  if (!start) throw new Error('evidence log has no run-start record');
  const { declarations } = start;
  const end = records.find((r): r is RunEndRecord => r.type === 'run-end');
  const status = end?.status ?? 'interrupted';
  // A re-judged log: the records after the first rejudge record replace the run's verdicts; the rules are the new ones.
  const rejudgedFrom = records.findIndex((r) => r.type === 'rejudge');
  const rejudges = records.filter((r): r is RejudgeRecord => r.type === 'rejudge');
  const lastAt = (rejudgedFrom === -1 ? records : records.slice(0, rejudgedFrom)).at(-1)?.at ?? start.at;

  const planned = records.filter((r): r is CheckPlannedRecord => r.type === 'check-planned');
  const started = new Map(records.filter((r) => r.type === 'check-start').map((r) => [r.checkId, r.at]));
  const verdicts = new Map(records.filter((r): r is VerdictRecord => r.type === 'verdict').map((r) => [r.checkId, r]));
  const evidence = records.filter((r): r is EvidenceRecord => r.type === 'evidence');

  const toItem = ({ seq, at, kind, summary, target, sent, received, artifacts, data }: EvidenceRecord) => ({ seq, at, kind, summary, target, sent, received, artifacts, data });
  const plannedIds = new Set(planned.map((p) => p.checkId));

  const checks: CheckResult[] = planned.map((p) => {
    const v = verdicts.get(p.checkId);
    const notRun = status === 'complete' ? 'the check did not run' : `not run: the run was ${status} before this check`;
    return {
      id: p.checkId,
      requirement: p.requirement,
      title: p.title,
      mandatory: p.mandatory,
      basis: p.basis,
      verdict: v?.verdict ?? 'INCONCLUSIVE',
      reason: v?.reason ?? notRun,
      warnings: v?.warnings ?? [],
      target: p.target,
      startedAt: started.get(p.checkId) ?? p.at,
      finishedAt: v?.at ?? null,
      durationMs: v?.durationMs ?? null,
      evidence: evidence.filter((e) => e.checkId === p.checkId).map(toItem),
    };
  });

  const declared: Declaration[] = Object.entries(declarations).map(([key, value]) => ({
    key,
    requirements: catalogue.requirements.filter((r) => r.declarations.includes(key)).map((r) => r.id),
    value,
  }));

  const requirements: RequirementResult[] = catalogue.requirements.map((req) => {
    const own = checks.filter((c) => c.requirement === req.id);
    const declaredKeys = req.declarations.filter((k) => k in declarations);
    const selected = start.selection === null || start.selection.includes(req.id);
    const { rollup: rolled, recognition } = recognise(
      req,
      selected
        ? rollUp(own, { hasDeclarations: declaredKeys.length > 0, evaluation: req.evaluation })
        : { verdict: 'INCONCLUSIVE' as const, reason: 'not selected in this run (--only)' },
      declarations,
      evidence,
      selected,
    );
    return {
      id: req.id,
      title: req.title.en,
      titleJa: req.title.ja,
      evaluation: req.evaluation,
      etsi: req.etsi,
      ts103701: req.ts103701,
      tags: req.tags,
      confirmed: req.confirmed,
      verdict: rolled.verdict,
      reason: rolled.reason,
      checks: own.map((c) => c.id),
      declarations: declaredKeys,
      recognition,
    };
  });

  return {
    formatVersion: RESULTS_FORMAT_VERSION,
    tool: start.tool,
    run: { id: start.runId, status, statusReason: end?.statusReason ?? (end ? null : 'the run ended without a closing record') },
    device: start.device,
    target: { host: start.target.host, scope: start.target.scope },
    profile: start.profile,
    rules: rejudges.reduce((rules, r) => ({ ...rules, ...r.rules }), start.rules),
    startedAt: start.at,
    finishedAt: end?.at ?? lastAt,
    summary: { requirements: counts(requirements.map((r) => r.verdict)), checks: counts(checks.map((c) => c.verdict)) },
    requirements,
    checks,
    runEvidence: evidence.filter((e) => !plannedIds.has(e.checkId)).map(toItem),
    declarations: declared,
    interfaces: interfacesOf(records, checks),
  };
}

/** The inventory's interface table, each row with the checks whose target was that port. */
function interfacesOf(records: RunRecord[], checks: CheckResult[]): InterfaceEntry[] {
  const table = records.filter((r): r is InterfacesRecord => r.type === 'interfaces').at(-1);
  return (table?.rows ?? []).map((row) => ({
    ...row,
    checks: checks.filter((c) => c.finishedAt !== null && c.target?.port === row.port && c.target.transport === row.transport).map((c) => c.id),
  }));
}
