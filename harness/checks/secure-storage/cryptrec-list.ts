import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { cataloguePath } from '../../paths.js';

/** catalogue/crypto/cryptrec-list.yaml: cipher names on and off CRYPTREC's list, as case-insensitive patterns. */
const Named = z.strictObject({ name: z.string().min(1), pattern: z.string().min(1) });
export const CryptrecList = z.strictObject({
  version: z.string().min(1),
  list: z.string().min(1),
  listed: z.array(Named).min(1),
  notListed: z.array(Named.extend({ why: z.string().min(1) })),
});
export type CryptrecList = z.infer<typeof CryptrecList>;

let cached: CryptrecList | undefined;

export function loadCryptrecList(): CryptrecList {
  cached ??= CryptrecList.parse(parse(readFileSync(cataloguePath('crypto', 'cryptrec-list.yaml'), 'utf8')));
  return cached;
}

/** Which names of the list a free-text protection statement mentions ("AES-256-GCM, key in the SE" → AES, GCM). */
export function cipherNames(protection: string, list: CryptrecList): { listed: string[]; notListed: Array<{ name: string; why: string }> } {
  const mentions = <T extends { pattern: string }>(entries: T[]) => entries.filter((e) => new RegExp(e.pattern, 'i').test(protection));
  return { listed: mentions(list.listed).map((e) => e.name), notListed: mentions(list.notListed).map(({ name, why }) => ({ name, why })) };
}
