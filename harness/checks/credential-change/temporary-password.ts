import { randomInt } from 'node:crypto';
import type { Policy } from '../../policy/schema.js';
import { Secret } from '../../secrets/secret.js';

/**
 * Character classes drawn from characters that travel unchanged in a form body, a JSON string and a
 * single-quoted shell word, and that chpasswd takes (no ":"); look-alikes left out for the lab's sake.
 */
const CLASSES = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '-_.'];
/** Symbols only when the policy asks for all four classes: many devices refuse them. */
const PLAIN_CLASSES = 3;
const MIN_LENGTH = 16;
const TEMPORARY_LABEL = 'temporary-password';

/** A fresh random password that meets the policy's strength rule; it is only ever shown as its marker. */
export function temporaryPassword(rule: Policy['defaultPassword']): Secret {
  const classes = CLASSES.slice(0, Math.max(PLAIN_CLASSES, rule.minCharacterClasses));
  const pool = classes.join('');
  const length = Math.max(rule.minLength, MIN_LENGTH);
  const chars = [...classes.map(pick), ...Array.from({ length: length - classes.length }, () => pick(pool))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return new Secret(chars.join(''), TEMPORARY_LABEL);
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}
