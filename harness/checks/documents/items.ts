import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { cataloguePath } from '../../paths.js';

/** catalogue/documents/declared-items.yaml: the declaration elements each document item needs. */
const DeclarationPath = z.string().regex(/^[a-zA-Z]+\.[a-zA-Z]+$/, { message: 'expected <declaration>.<field>' });
export const DeclaredItem = z.strictObject({
  requirement: z.string().regex(/^S\d+\.\d+-\d{2}$/),
  topic: z.string().regex(/^[a-z-]+$/),
  required: z.array(z.union([DeclarationPath, z.strictObject({ anyOf: z.array(DeclarationPath).min(2) })])).min(1),
  notPast: z.array(DeclarationPath).optional(),
});
export const DeclaredItems = z.strictObject({
  version: z.string().min(1),
  items: z.array(DeclaredItem).min(1),
  publicPage: z.strictObject({
    maxBytes: z.number().int().positive(),
    timeoutMs: z.number().int().positive(),
    maxRedirects: z.number().int().nonnegative(),
    readableMediaTypes: z.array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/)).min(1),
  }),
});
export type DeclaredItem = z.infer<typeof DeclaredItem>;
export type DeclaredItems = z.infer<typeof DeclaredItems>;

let cached: DeclaredItems | undefined;

export function loadDeclaredItems(): DeclaredItems {
  cached ??= DeclaredItems.parse(parse(readFileSync(cataloguePath('documents', 'declared-items.yaml'), 'utf8')));
  return cached;
}

export function declaredItem(requirement: string): DeclaredItem {
  const item = loadDeclaredItems().items.find((i) => i.requirement === requirement);
  if (!item) throw new Error(`catalogue/documents/declared-items.yaml has no item for ${requirement}`);
  return item;
}
