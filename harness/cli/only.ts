import { didYouMean } from '../profile/suggest.js';
import { UsageError } from './usage-error.js';

/** Parses `--only S1.1-02,S1.1-12` against the catalogue's IDs. */
export function parseOnly(value: string | undefined, known: readonly string[]): string[] | null {
  if (value === undefined) return null;
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError('--only: expected a comma-separated list of requirement IDs, e.g. S1.1-02,S1.1-12');
  for (const id of ids) {
    if (!known.includes(id)) throw new UsageError(`--only: unknown requirement ID "${id}"${didYouMean(id, known) || `; expected one of ${known[0]}…${known.at(-1)}`}`);
  }
  return ids;
}
