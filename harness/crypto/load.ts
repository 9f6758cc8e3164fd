import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { cataloguePath } from '../paths.js';
import { CryptoRules } from './schema.js';

export interface BaseCryptoRules {
  rules: CryptoRules;
  /** Of the file's bytes, so that evidence pins the exact rules that judged. */
  sha256: string;
}

let cached: BaseCryptoRules | undefined;

/** The versioned rule set shipped in catalogue/crypto/; read once per process. */
export function loadBaseCryptoRules(): BaseCryptoRules {
  cached ??= loadCryptoRulesFile(cataloguePath('crypto', 'crypto-rules.yaml'));
  return cached;
}

/** A full rule set file (schema crypto-rules), validated as the shipped one is; `jcstar report --rules` judges with it. */
export function loadCryptoRulesFile(path: string): BaseCryptoRules {
  const bytes = readFileSync(path);
  return { rules: CryptoRules.parse(parse(bytes.toString('utf8'))), sha256: createHash('sha256').update(bytes).digest('hex') };
}
