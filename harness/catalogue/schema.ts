import { z } from 'zod';

/** Shape of a requirement catalogue (catalogue/<level>/requirements.yaml). ★2 catalogues share it. */
const localized = z.object({ ja: z.string().nullable(), en: z.string().nullable() });

export const RequirementEntry = z.strictObject({
  id: z.string().regex(/^S\d+\.\d+-\d{2}$/),
  title: z.object({ ja: z.string().nullable(), en: z.string() }),
  statement: localized,
  evaluation: z.enum(['document', 'device', 'both', 'unconfirmed']),
  etsi: z.array(z.string()),
  ts103701: z.array(z.string()),
  nistir8425: z.array(z.string()),
  declarations: z.array(z.string()).describe('Profile declaration keys that bear on this requirement'),
  tags: z.array(z.string()),
  confirmed: z.strictObject({ title: z.boolean(), statement: z.boolean(), evaluation: z.boolean(), mapping: z.boolean() }),
});

export const Catalogue = z.strictObject({
  id: z.string(),
  scheme: z.string(),
  level: z.string(),
  version: z.string(),
  basis: z.string(),
  requirements: z.array(RequirementEntry).min(1),
});

export type RequirementEntry = z.infer<typeof RequirementEntry>;
export type Catalogue = z.infer<typeof Catalogue>;
