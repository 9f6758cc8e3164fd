import { visible } from '../reporters/markup.js';
import type { Declaration, RequirementResult, Results } from '../results/schema.js';
import type { FinishedRun } from './finished-run.js';
import type { Bilingual, ChecklistField, ChecklistLayout, EvidenceField } from './layout.js';

export type ChecklistRow = Record<ChecklistField, string>;
export type EvidenceRow = Record<EvidenceField, string>;

type Recognition = NonNullable<RequirementResult['recognition']>;

// Excel holds at most 32,767 characters in a cell; a hostile device must not make the workbook unreadable.
const CELL_CHARS = 32000;

// XML cannot hold most control characters (exceljs drops them silently), and bidi overrides would reorder the
// evidence: shown as escapes, as the HTML report shows them, so both files carry the same visible text.
function cellText(text: string): string {
  const shown = visible(text);
  return shown.length > CELL_CHARS ? `${shown.slice(0, CELL_CHARS)}… (truncated; see results.json)` : shown;
}

const both = (b: Bilingual) => `${b.ja} / ${b.en}`;
const fill = (template: string, detail: string) => template.replace('{detail}', detail);

/** Every file a requirement rests on, hashed as the manifest hashed it. */
function evidenceFiles(requirement: RequirementResult, results: Results, run: FinishedRun): string {
  const hashes = new Map(run.manifest.files.map((f) => [f.path, f.sha256]));
  const paths: string[] = [];
  const checks = results.checks.filter((c) => requirement.checks.includes(c.id));
  for (const check of checks) for (const item of check.evidence) for (const a of item.artifacts) paths.push(a.path);
  if (checks.length > 0) paths.push('evidence.jsonl');
  if (requirement.declarations.length > 0) paths.push('profile.yaml');
  const recognition = requirement.recognition ?? null;
  const lines = [...new Set(paths)].map((path) => `${path}  sha256:${hashes.get(path) ?? '(not in manifest.json)'}`);
  if (recognition?.statement) lines.push(`${recognition.statement.path}  sha256:${recognition.statement.sha256}`);
  return lines.join('\n');
}

function declarationText(requirement: RequirementResult, declarations: Declaration[]): string {
  return declarations
    .filter((d) => requirement.declarations.includes(d.key))
    .map((d) => `${d.key}: ${JSON.stringify(d.value)}`)
    .join('\n');
}

/** Observed when a check on the device's behaviour reached the requirement's verdict; declared otherwise. */
function basisOf(requirement: RequirementResult, results: Results): keyof ChecklistLayout['bases'] {
  const checks = results.checks.filter((c) => requirement.checks.includes(c.id));
  if (checks.some((c) => c.basis === 'observed' && c.verdict === requirement.verdict)) return 'observed';
  return checks.length > 0 || requirement.declarations.length > 0 ? 'declared' : 'none';
}

function toSupply(requirement: RequirementResult, layout: ChecklistLayout, recognition: Recognition | null): string {
  const lines: Bilingual[] = [];
  const line = (template: Bilingual, detail: string) => lines.push({ ja: fill(template.ja, detail), en: fill(template.en, detail) });
  if (recognition) {
    const statement = recognition.statement ? recognition.statement.path : 'not attached to the run; attach it or give its URL';
    line(layout.toSupply.deemed, recognition.note ? `${statement} (${recognition.note})` : statement);
    // A statement of compliance does not excuse what the device was seen doing.
    if (requirement.verdict === 'FAIL') line(layout.toSupply.FAIL, requirement.reason);
  } else {
    const keys = requirement.declarations.join(', ');
    if (requirement.verdict === 'MANUAL') line(layout.toSupply.MANUAL, keys || requirement.reason);
    else if (requirement.verdict !== 'PASS') line(layout.toSupply[requirement.verdict], requirement.reason);
    if (requirement.evaluation === 'document' || requirement.evaluation === 'both') {
      line(layout.toSupply.documents, `${requirement.id} ${requirement.title}`);
    }
  }
  if (lines.length === 0) lines.push(layout.toSupply.nothing);
  return lines.map((l) => `${l.ja}\n${l.en}`).join('\n');
}

function verdictCells(requirement: RequirementResult, layout: ChecklistLayout, recognition: Recognition | null) {
  const words = layout.verdicts[requirement.verdict];
  if (!recognition) return { verdict: words.ja, jcstarVerdict: words.en };
  // A statement of compliance does not excuse what the device was seen doing, nor a harness fault: only a PASS is deemed met.
  if (requirement.verdict === 'PASS') return { verdict: layout.deemed.ja, jcstarVerdict: `${layout.deemed.en.replace('{scheme}', recognition.scheme)}; jcstar: PASS` };
  return { verdict: words.ja, jcstarVerdict: `${layout.recognitionDeclared.replace('{scheme}', recognition.scheme)}; jcstar: ${requirement.verdict}` };
}

/** One row per requirement, in catalogue order, from results.json and manifest.json alone. */
export function checklistRows(run: FinishedRun, layout: ChecklistLayout): ChecklistRow[] {
  const { results } = run;
  return results.requirements.map((requirement) => {
    const recognition = requirement.recognition ?? null;
    const row: ChecklistRow = {
      id: requirement.id,
      requirementJa: requirement.titleJa ?? '',
      requirementEn: requirement.title,
      evaluation: both(layout.evaluations[requirement.evaluation]),
      ...verdictCells(requirement, layout, recognition),
      basis: both(layout.bases[basisOf(requirement, results)]),
      reason: requirement.reason,
      evidence: evidenceFiles(requirement, results, run),
      declaration: declarationText(requirement, results.declarations),
      toSupply: toSupply(requirement, layout, recognition),
    };
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cellText(v)])) as ChecklistRow;
  });
}

export function evidenceRows(run: FinishedRun): EvidenceRow[] {
  return run.manifest.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: String(f.bytes) }));
}
