import type { Policy } from '../../policy/schema.js';

const CHARACTER_CLASSES: Array<[string, RegExp]> = [
  ['lower case', /[a-z]/],
  ['upper case', /[A-Z]/],
  ['digits', /[0-9]/],
  ['symbols', /[^A-Za-z0-9]/],
];

/** The character classes a password draws on, of lower case, upper case, digits and symbols. */
export function characterClasses(password: string): string[] {
  return CHARACTER_CLASSES.filter(([, pattern]) => pattern.test(password)).map(([name]) => name);
}

/** What falls short of the policy's strength rule, in words that do not give the password away. */
export function strengthProblems(password: string, rule: Policy['defaultPassword']): string[] {
  const problems: string[] = [];
  if ([...password].length < rule.minLength) problems.push(`is shorter than ${rule.minLength} characters`);
  const classes = characterClasses(password).length;
  if (classes < rule.minCharacterClasses) problems.push(`uses ${classes} character class(es) where the policy asks for ${rule.minCharacterClasses}`);
  return problems;
}

/**
 * Passwords that differ only in their digits ("Camera01", "Camera02") come from a counter, the first
 * regularity TS 103 701 5.1-2 names. Too few letters left over and the likeness is chance.
 */
export function sameCounterPattern(a: string, b: string): boolean {
  const skeleton = (p: string) => p.replace(/[0-9]+/g, '#');
  return a !== b && skeleton(a) === skeleton(b) && a.replace(/[0-9]/g, '').length >= 4;
}
