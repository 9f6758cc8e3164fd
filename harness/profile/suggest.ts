import { distance } from 'fastest-levenshtein';

const MAX_DISTANCE = 2;

/**
 * The candidate the user most likely meant by `input`: a case-insensitive match, else the closest one
 * within two edits. Inputs no longer than the distance would "match" almost anything, so they need fewer edits.
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Math.min(MAX_DISTANCE, input.length - 1) + 1;
  for (const candidate of candidates) {
    const d = distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean "x"?` when there is a likely candidate, else an empty string. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const guess = suggest(input, candidates);
  return guess === undefined ? '' : `; did you mean "${guess}"?`;
}
