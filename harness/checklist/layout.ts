import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { cataloguePath } from '../paths.js';
import { VERDICTS } from '../verdicts/verdict.js';

/**
 * The checklist's layout is data (catalogue/checklist/layout.yaml). The official IPA ★1 checklist column
 * layout is not public here, so jcstar uses its own and keeps every column, header, width and verdict word
 * in that one file, ready to follow the official layout once it is known.
 */

/** What rows.ts can fill; the layout chooses which of these become columns, in which order. */
export const CHECKLIST_FIELDS = [
  'id',
  'requirementJa',
  'requirementEn',
  'evaluation',
  'verdict',
  'jcstarVerdict',
  'basis',
  'reason',
  'evidence',
  'declaration',
  'toSupply',
] as const;
export type ChecklistField = (typeof CHECKLIST_FIELDS)[number];

export const EVIDENCE_FIELDS = ['path', 'sha256', 'bytes'] as const;
export type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

const bilingual = z.strictObject({ ja: z.string().min(1), en: z.string().min(1) });
const sheetName = z.string().regex(/^[^*?:\\/[\]]{1,31}$/, "Excel allows 1 to 31 characters, none of * ? : \\ / [ ]");
const column = <F extends readonly [string, ...string[]]>(fields: F) =>
  z.strictObject({ field: z.enum(fields), ja: z.string().min(1), en: z.string().min(1), width: z.number().int().min(4).max(120) });
const distinctFields = (columns: Array<{ field: string }>) => new Set(columns.map((c) => c.field)).size === columns.length;

export const ChecklistLayout = z.strictObject({
  version: z.string(),
  note: bilingual,
  incompleteRun: bilingual,
  sheets: z.strictObject({ checklist: sheetName, evidence: sheetName, note: sheetName }),
  columns: z.array(column(CHECKLIST_FIELDS)).min(1).refine(distinctFields, 'a field appears in two columns'),
  evidenceColumns: z.array(column(EVIDENCE_FIELDS)).min(1).refine(distinctFields, 'a field appears in two columns'),
  verdicts: z.strictObject(Object.fromEntries(VERDICTS.map((v) => [v, bilingual])) as Record<(typeof VERDICTS)[number], typeof bilingual>),
  deemed: bilingual,
  recognitionDeclared: z.string().includes('{scheme}'),
  evaluations: z.strictObject({ document: bilingual, device: bilingual, both: bilingual, unconfirmed: bilingual }),
  bases: z.strictObject({ observed: bilingual, declared: bilingual, none: bilingual }),
  toSupply: z.strictObject(
    Object.fromEntries(['deemed', 'FAIL', 'MANUAL', 'INCONCLUSIVE', 'NOT_APPLICABLE', 'ERROR', 'documents', 'nothing'].map((k) => [k, bilingual])) as Record<
      'deemed' | 'FAIL' | 'MANUAL' | 'INCONCLUSIVE' | 'NOT_APPLICABLE' | 'ERROR' | 'documents' | 'nothing',
      typeof bilingual
    >,
  ),
});
export type ChecklistLayout = z.infer<typeof ChecklistLayout>;
export type Bilingual = z.infer<typeof bilingual>;

export function loadChecklistLayout(file = cataloguePath('checklist', 'layout.yaml')): ChecklistLayout {
  return ChecklistLayout.parse(parse(readFileSync(file, 'utf8')));
}
