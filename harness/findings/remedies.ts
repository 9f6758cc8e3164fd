import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { cataloguePath } from '../paths.js';
import { Remedies, type Remedy, type RemedyField } from './remedies-schema.js';
import type { Severity } from './schema.js';

let cached: Remedies | undefined;

/** catalogue/remedies/remedies.yaml, validated. */
export function loadRemedies(): Remedies {
  cached ??= Remedies.parse(parse(readFileSync(cataloguePath('remedies', 'remedies.yaml'), 'utf8')));
  return cached;
}

/** What a remedy line can name about one offending item; a missing field reads as the check's subject. */
export type RemedyContext = { kind: string; rule?: string } & Partial<Record<RemedyField, string>> & Pick<Record<RemedyField, string>, 'item' | 'subject' | 'requirement'>;

export function remedyFor(remedies: Remedies, context: RemedyContext): { severity: Severity; remedy: string } {
  const kind = remedies.kinds[context.kind];
  const chosen: Remedy =
    kind?.items.find((r) => (r.match === undefined || new RegExp(r.match).test(context.item)) && (r.rule === undefined || new RegExp(r.rule).test(context.rule ?? ''))) ??
    kind ??
    remedies.requirements[context.requirement] ??
    remedies.fallback;
  const remedy = chosen.remedy.replace(/\{([a-z]+)\}/g, (_, field: RemedyField) => context[field] ?? context.subject);
  return { severity: chosen.severity, remedy };
}
