import type { z } from 'zod';
import { UsageError } from './usage-error.js';

/** A JSON document's bytes, validated against its schema; `source` names them and `kind` says what they should be. */
export function parseDocument<T extends z.ZodTypeAny>(bytes: Buffer, source: string, schema: T, kind: string): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UsageError(`${source} is not JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${source} is not ${kind}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
