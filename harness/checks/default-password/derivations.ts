/**
 * What an attacker can read off a unit, its label or its box, in the forms a weak generator would use
 * (TS 103 701 5.1-2: no derivation from public information). Tokens are compared case-insensitively.
 */
export interface Derivation {
  rule: string;
  token: string;
}

/** Shorter fragments turn up in random passwords by chance. */
const MIN_TOKEN_LENGTH = 4;
/** Longest first, so that the strongest finding is named first. */
const TAIL_LENGTHS = [8, 7, 6, 5, 4];

/** The MAC and its last 8, 6 and 4 hex digits, each with ":", "-" or no separators. */
export function macDerivations(mac: string): Derivation[] {
  const pairs = mac.replace(/[^0-9a-f]/gi, '').match(/../g) ?? [];
  const spelled = (rule: string, part: string[]) => [':', '-', ''].map((separator) => ({ rule, token: part.join(separator) }));
  return [
    ...spelled('its MAC address', pairs),
    ...[4, 3, 2].flatMap((n) => spelled(`the last ${n * 2} hex digits of its MAC address`, pairs.slice(-n))),
  ];
}

/** The serial number or unit ID, whole or without punctuation, and its last 4 to 8 characters. */
export function serialDerivations(unit: string): Derivation[] {
  return forms(unit).flatMap((form) => [
    { rule: 'its serial number', token: form },
    ...TAIL_LENGTHS.filter((n) => n < form.length).map((n) => ({ rule: `the last ${n} characters of its serial number`, token: form.slice(-n) })),
  ]);
}

/** The model designation, whole or without punctuation. */
export function modelDerivations(model: string): Derivation[] {
  return forms(model).map((token) => ({ rule: 'the model name', token }));
}

/** The rules whose token the password contains, each named once. */
export function derivationsFound(password: string, derivations: Derivation[]): string[] {
  const lower = password.toLowerCase();
  const found = derivations.filter((d) => d.token.length >= MIN_TOKEN_LENGTH && lower.includes(d.token.toLowerCase()));
  return [...new Set(found.map((d) => d.rule))];
}

function forms(value: string): string[] {
  return [...new Set([value, value.replace(/[^0-9A-Za-z]/g, '')])];
}
