import { z } from 'zod';
import { Severity } from './schema.js';

/** What a remedy line may name; each comes from the check or the offending item. */
export const REMEDY_FIELDS = ['item', 'subject', 'port', 'transport', 'service', 'debug', 'requirement'] as const;
export type RemedyField = (typeof REMEDY_FIELDS)[number];

const remedyLine = z
  .string()
  .min(1)
  .refine((line) => !line.includes('\n'), 'a remedy is one line')
  .refine(
    (line) => [...line.matchAll(/\{([^}]*)\}/g)].every((m) => (REMEDY_FIELDS as readonly string[]).includes(m[1])),
    `a remedy names only {${REMEDY_FIELDS.join('}, {')}}`,
  );

const pattern = z.string().refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const Remedy = z.strictObject({ severity: Severity, remedy: remedyLine });

/** An item rule: the first whose patterns all match the offending item (and its crypto rule) wins. */
export const ItemRemedy = Remedy.extend({
  match: pattern.optional().describe('Regular expression tested against the offending item'),
  rule: pattern.optional().describe('Regular expression tested against the crypto rule that judged the item'),
}).refine((r) => r.match !== undefined || r.rule !== undefined, 'an item rule needs match or rule');

export const KindRemedy = Remedy.extend({ items: z.array(ItemRemedy).default([]) });

export const Remedies = z.strictObject({
  version: z.string(),
  kinds: z.record(z.string().regex(/^[a-z0-9-]+$/), KindRemedy).describe('Keyed by check kind: the middle part of a check ID'),
  requirements: z.record(z.string().regex(/^S\d+\.\d+-\d{2}$/), Remedy).describe('Fallback for a check kind not listed'),
  fallback: Remedy,
});

export type Remedy = z.infer<typeof Remedy>;
export type Remedies = z.infer<typeof Remedies>;
