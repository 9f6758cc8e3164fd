import { z } from 'zod';

/**
 * A scheme mapping (catalogue/schemes/<id>.yaml): another label's requirements, each traced to ★1 requirements
 * directly, through EN 303 645 provisions, or through NISTIR 8425 outcome labels in the ★1 catalogue.
 */
export const SchemeMaps = z
  .strictObject({
    star1: z.array(z.string().regex(/^S\d+\.\d+-\d{2}$/)).optional().describe('★1 requirement IDs'),
    etsi: z.array(z.string()).optional().describe('EN 303 645 provisions: every ★1 requirement whose `etsi` names one'),
    nistir8425: z.array(z.string()).optional().describe('NISTIR 8425 labels: every ★1 requirement whose `nistir8425` names one'),
  })
  .refine((m) => (m.star1?.length ?? 0) + (m.etsi?.length ?? 0) + (m.nistir8425?.length ?? 0) > 0, 'maps names nothing');

export const SchemeRequirement = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  reference: z.string().min(1).describe("Where the scheme's own text states it"),
  maps: SchemeMaps.nullable().describe('null when no ★1 requirement serves it: a ★1 run says nothing about it'),
  etsi: z.array(z.string()).optional().describe('EN 303 645 provisions the scheme requirement corresponds to, for the reader'),
  confirmed: z.boolean().describe('true when the sources in the file header confirm the mapping; false when inferred'),
  source: z.string().min(1),
});

export const Scheme = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    title: z.string().min(1),
    version: z.string().min(1),
    basis: z.string().min(1),
    requirements: z.array(SchemeRequirement).min(1),
  })
  .refine((s) => new Set(s.requirements.map((r) => r.id)).size === s.requirements.length, 'requirement IDs repeat');

export type SchemeMaps = z.infer<typeof SchemeMaps>;
export type SchemeRequirement = z.infer<typeof SchemeRequirement>;
export type Scheme = z.infer<typeof Scheme>;
