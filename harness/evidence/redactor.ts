import type { Secret } from '../secrets/secret.js';

/**
 * Scrubs known secrets from anything about to be recorded, in every form a device may echo them back in.
 *
 * Character by character, a secret may travel raw or escaped, and a server may mix escapes within one
 * value (encodeURI, encodeURIComponent, form encoding, PHP's urlencode and html.escape each escape a
 * different set). So each character matches any of: itself; its UTF-8 bytes percent-encoded in either hex
 * case; `+` for a space; an HTML entity (named, decimal or hex); a JSON string escape. Base64 is matched
 * at each of the three alignments a secret can have inside a longer base64 string, standard and URL-safe.
 */

const HTML_NAMED: Readonly<Record<string, readonly string[]>> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;'],
  "'": ['&apos;'],
};

const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Shorter base64 fragments than this would match unrelated base64 too often to be worth scrubbing. */
const MIN_BASE64_FRAGMENT = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A hex number in either case, optionally zero-padded (`&#x00E9;`, `%c3`). */
function hexEitherCase(n: number, width: number): string {
  const digits = n.toString(16).padStart(width, '0');
  return [...digits].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}

function utf16Units(char: string): number[] {
  return Array.from({ length: char.length }, (_, i) => char.charCodeAt(i));
}

/**
 * The alternatives for one character (a code point). `literal` is how the raw character looks in the
 * string searched: itself in text, its UTF-8 bytes as latin1 characters when searching raw bytes.
 */
function characterPattern(char: string, literal: (c: string) => string): string {
  const code = char.codePointAt(0)!;
  const forms = [escapeRegExp(literal(char))];
  forms.push([...Buffer.from(char, 'utf8')].map((b) => `%${hexEitherCase(b, 2)}`).join(''));
  if (char === ' ') forms.push('\\+');
  for (const named of HTML_NAMED[char] ?? []) forms.push(escapeRegExp(named));
  forms.push(`&#0*${code};`, `&#[xX]0*${hexEitherCase(code, 1)};`);
  if (JSON_SHORT[char]) forms.push(escapeRegExp(JSON_SHORT[char]));
  forms.push(utf16Units(char).map((u) => `\\\\u${hexEitherCase(u, 4)}`).join(''));
  return `(?:${forms.join('|')})`;
}

function secretPattern(value: string, literal: (c: string) => string): string {
  return [...value].map((c) => characterPattern(c, literal)).join('');
}

/**
 * The base64 characters that depend on the secret's bytes alone, when the secret starts `shift` bytes
 * into a 3-byte group; the characters at either edge also carry bits of whatever surrounds it.
 */
function base64Fragment(bytes: Buffer, shift: number): string {
  const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
  const first = Math.ceil((8 * shift) / 6);
  const end = Math.floor((8 * (shift + bytes.length)) / 6);
  return encoded.slice(first, end);
}

function base64Forms(value: string, usernames: readonly string[]): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = new Set<string>();
  forms.add(bytes.toString('base64'));
  for (const user of usernames) forms.add(Buffer.from(`${user}:${value}`).toString('base64'));
  for (const shift of [0, 1, 2]) {
    const fragment = base64Fragment(bytes, shift);
    if (fragment.length >= MIN_BASE64_FRAGMENT) forms.add(fragment);
  }
  for (const form of [...forms]) forms.add(form.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  return [...forms];
}

interface Needle {
  /** Over text (JS strings). */
  text: RegExp;
  /** Over raw bytes read as latin1, one character per byte. */
  bytes: RegExp;
  marker: string;
  /** Orders needles so that a secret inside a longer one is not half-replaced. */
  weight: number;
}

const asText = (c: string) => c;
const asLatin1Bytes = (c: string) => Buffer.from(c, 'utf8').toString('latin1');

export class Redactor {
  readonly #needles: Needle[] = [];

  constructor(secrets: readonly Secret[] = [], usernames: readonly string[] = []) {
    for (const secret of secrets) this.add(secret, usernames);
  }

  add(secret: Secret, usernames: readonly string[] = []): void {
    const value = secret.reveal();
    if (value.length === 0) return;
    const marker = secret.toString();
    this.#needles.push({
      text: new RegExp(secretPattern(value, asText), 'g'),
      bytes: new RegExp(secretPattern(value, asLatin1Bytes), 'g'),
      marker,
      weight: Buffer.byteLength(value),
    });
    for (const form of base64Forms(value, usernames)) {
      const pattern = new RegExp(escapeRegExp(form), 'g');
      this.#needles.push({ text: pattern, bytes: pattern, marker, weight: form.length });
    }
    this.#needles.sort((a, b) => b.weight - a.weight);
  }

  text(input: string): string {
    let out = input;
    for (const { text, marker } of this.#needles) out = out.replace(text, marker);
    return out;
  }

  /** Same-length masking keeps binary framing intact in raw artifacts. */
  bytes(input: Buffer): Buffer {
    const original = input.toString('latin1');
    let out = original;
    for (const { bytes } of this.#needles) out = out.replace(bytes, (match) => '*'.repeat(match.length));
    return out === original ? input : Buffer.from(out, 'latin1');
  }

  /** Deep copy of plain JSON data with every string (keys too) redacted where it stands. */
  value<T>(input: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.text(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [this.text(k), walk(inner)]));
      return v;
    };
    return walk(JSON.parse(JSON.stringify(input ?? null))) as T;
  }
}
