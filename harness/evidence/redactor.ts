import type { Secret } from '../secrets/secret.js';

/**
 * Scrubs known secrets from anything about to be recorded. It knows each secret in the forms it is
 * likely to travel in (raw, JSON-escaped, base64, URL-encoded, and base64 of "user:secret" for HTTP Basic).
 */
export class Redactor {
  readonly #needles: Array<{ text: string; marker: string }> = [];

  constructor(secrets: readonly Secret[] = [], usernames: readonly string[] = []) {
    for (const secret of secrets) this.add(secret, usernames);
  }

  add(secret: Secret, usernames: readonly string[] = []): void {
    const value = secret.reveal();
    if (value.length === 0) return;
    const marker = secret.toString();
    // JSON-escaped too: a device that echoes the value inside JSON writes `\"` for `"` and `\\` for `\`.
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64'), encodeURIComponent(value)]);
    for (const user of usernames) forms.add(Buffer.from(`${user}:${value}`).toString('base64'));
    for (const text of forms) this.#needles.push({ text, marker });
    // Longest first, so that a secret inside a longer encoded form is not half-replaced.
    this.#needles.sort((a, b) => b.text.length - a.text.length);
  }

  text(input: string): string {
    let out = input;
    for (const { text, marker } of this.#needles) out = out.split(text).join(marker);
    return out;
  }

  /** Same-length masking keeps binary framing intact in raw artifacts. */
  bytes(input: Buffer): Buffer {
    let out = input;
    for (const { text } of this.#needles) {
      const needle = Buffer.from(text);
      let at = out.indexOf(needle);
      while (at !== -1) {
        if (out === input) out = Buffer.from(input);
        out.fill(0x2a, at, at + needle.length);
        at = out.indexOf(needle, at + needle.length);
      }
    }
    return out;
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
