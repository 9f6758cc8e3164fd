import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Secret } from '../secrets/secret.js';
import { SECRET_REF, SECRET_REF_MESSAGE } from './schema.js';

export interface SecretSources {
  env: NodeJS.ProcessEnv;
  /** Folder `${file:PATH}` references are relative to. */
  baseDir: string;
}

type Failure = { ok: false; message: string };
export type SecretResult = { ok: true; secret: Secret } | Failure;

/**
 * Turns a `${env:NAME}` or `${file:PATH}` reference into a Secret labelled `label`.
 * Failure messages name the reference, never the value.
 */
export async function resolveSecret(ref: string, label: string, sources: SecretSources): Promise<SecretResult> {
  const match = SECRET_REF.exec(ref);
  if (!match) return { ok: false, message: SECRET_REF_MESSAGE };
  const [, kind, name = ''] = match;
  const value = kind === 'env' ? fromEnv(name, sources.env) : await fromFile(name, sources.baseDir);
  return typeof value === 'string' ? { ok: true, secret: new Secret(value, label) } : value;
}

function fromEnv(name: string, env: NodeJS.ProcessEnv): string | Failure {
  const value = env[name];
  if (value === undefined) return { ok: false, message: `environment variable ${name} is not set` };
  if (value === '') return { ok: false, message: `environment variable ${name} is empty` };
  return value;
}

async function fromFile(path: string, baseDir: string): Promise<string | Failure> {
  let text: string;
  try {
    text = await readFile(resolve(baseDir, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, message: `cannot read secret file "${path}" (${code})` };
  }
  // Editors add a final newline; it is never part of the secret.
  const value = text.replace(/\r?\n$/, '');
  if (value === '') return { ok: false, message: `secret file "${path}" is empty` };
  return value;
}
