import type { Declarations } from '../../profile/schema.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { attachDocument, type DocumentAttachment } from './local-document.js';
import { declaredItem, loadDeclaredItems, type DeclaredItem } from './items.js';
import type { SuiteBuilder } from '../../suite/define.js';

/** Every verdict here rests on the vendor's word; reports must say so plainly. */
export const DECLARED_NOT_OBSERVED = 'declared, not observed';

type Requirement = DeclaredItem['required'][number];

function valueAt(declarations: Declarations, path: string): unknown {
  const [key, field] = path.split('.') as [keyof Declarations, string];
  const declaration = declarations[key] as Record<string, unknown> | undefined;
  return declaration?.[field];
}

function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

const pathsOf = (r: Requirement): string[] => (typeof r === 'string' ? [r] : r.anyOf);
const describe = (r: Requirement): string => (typeof r === 'string' ? r : `one of ${r.anyOf.join(', ')}`);

/** The declarations an item reads, in catalogue order. */
export function declarationsOf(item: DeclaredItem): Array<keyof Declarations> {
  return [...new Set(item.required.flatMap(pathsOf).map((p) => p.split('.')[0] as keyof Declarations))];
}

/**
 * Is the declaration complete enough for the ★1 checklist? (Planned only when the profile declares it: the
 * requirement's review check already says when nothing is declared.) An element missing or a date already
 * past is FAIL; complete is PASS. Local documents are attached, so the evidence holds their SHA-256; one
 * jcstar cannot attach (unreadable, over its size limit) leaves the check INCONCLUSIVE, since that is not the
 * declaration falling short. `today` is the run's date as runDate gives it (YYYY-MM-DD, at UTC−12).
 */
export async function checkCompleteness(ctx: CheckContext, item: DeclaredItem, today: string): Promise<CheckOutcome> {
  const { declarations } = ctx.profile;
  const keys = declarationsOf(item);
  const declared = keys.filter((k) => declarations[k] !== undefined);
  const missing = item.required.filter((r) => !pathsOf(r).some((p) => present(valueAt(declarations, p)))).map(describe);
  const past = (item.notPast ?? []).filter((p) => typeof valueAt(declarations, p) === 'string' && String(valueAt(declarations, p)) < today);
  const record = ctx.evidence.record({
    kind: 'note',
    summary: `${DECLARED_NOT_OBSERVED}: ${keys.join(', ')} against the elements the ★1 checklist needs (${loadDeclaredItems().version}): ${missing.length === 0 && past.length === 0 ? 'complete' : `${missing.length} missing, ${past.length} past`}`,
    data: {
      items: loadDeclaredItems().version,
      required: item.required.map(describe),
      declarations: Object.fromEntries(keys.map((k) => [k, declarations[k] ?? null])),
      missing,
      past,
      today,
    },
  });
  const documents: DocumentAttachment[] = [];
  for (const key of declared) {
    const reference = valueAt(declarations, `${key}.document`);
    if (typeof reference === 'string') documents.push(await attachDocument(ctx, key, reference));
  }
  const problems = [
    ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
    ...past.map((p) => `${p} is ${String(valueAt(declarations, p))}, over everywhere on the day of this run (${today} even at UTC−12)`),
  ];
  const unattached = documents.flatMap((d) => (!d.attached && d.problem ? [d.problem] : []));
  const unattachedNote = unattached.length > 0 ? `; jcstar also could not attach a referenced document: ${unattached.join('; ')}` : '';
  if (problems.length > 0) return fail(`${DECLARED_NOT_OBSERVED}: the declaration falls short of the ★1 checklist: ${problems.join('; ')}${unattachedNote} (evidence #${record.seq})`);
  const complete = `${DECLARED_NOT_OBSERVED}: ${declared.join(' and ')} carr${declared.length > 1 ? 'y' : 'ies'} every element the ★1 checklist needs (${item.required.map(describe).join(', ')})`;
  if (unattached.length > 0) return inconclusive(`${complete}, but jcstar could not attach a referenced document: ${unattached.join('; ')}; the evidence does not hold it (evidence #${record.seq})`);
  const attached = documents.filter((d): d is Extract<DocumentAttachment, { attached: true }> => d.attached);
  const attachedNote = attached.length > 0 ? `; ${attached.map((d) => `${d.reference} attached (sha256 ${d.sha256.slice(0, 12)}…)`).join(', ')}` : '';
  return pass(`${complete}${attachedNote}; a person still reviews the content`);
}

/**
 * The run's date as the completeness checks compare it: the date at UTC−12, the last time zone to reach a
 * day. A date before it is over in every time zone, so a FAIL for "already over" holds wherever the device is sold.
 */
export const runDate = (now = new Date()): string => new Date(now.getTime() - 12 * 3600_000).toISOString().slice(0, 10);

/**
 * Adds the item's completeness check to a requirement's suite when the profile declares its first
 * declaration (S1.1-16: supportPeriod; productInformation alone is S1.1-10's business).
 */
export function planCompleteness(suite: SuiteBuilder, requirement: string): void {
  const item = declaredItem(requirement);
  const keys = declarationsOf(item);
  if (suite.profile.declarations[keys[0]!] === undefined) return;
  suite.check(
    { id: `${requirement}/${item.topic}/completeness`, title: `The ${keys.join(' and ')} declaration carries what the ★1 checklist needs (${DECLARED_NOT_OBSERVED})`, basis: 'declared' },
    (ctx) => checkCompleteness(ctx, item, runDate()),
  );
}
