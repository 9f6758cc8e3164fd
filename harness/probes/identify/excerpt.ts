/** Excerpts kept in an identity: printable, bounded, whatever a hostile device sent. */
export const EXCERPT_LIMIT = 300;

/** Printable ASCII kept, CR/LF/TAB spelled out, every other byte as \xNN; at most `limit` characters. */
export function printable(bytes: Buffer | string, limit = EXCERPT_LIMIT): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  let out = '';
  for (const b of buf) {
    out += b === 0x0d ? '\\r' : b === 0x0a ? '\\n' : b === 0x09 ? '\\t' : b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    if (out.length >= limit) return `${out.slice(0, limit)}…`;
  }
  return out;
}

/** The first non-empty line of text, printable and bounded: what a person reads as a banner. */
export function firstLine(text: Buffer | string, limit = 160): string | null {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  const line = s.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0);
  return line === undefined ? null : printable(line, limit);
}

/** Decoded text (a page title, a UPnP model name) kept as people read it, Japanese included; control characters escaped. */
export function printableText(text: string, limit = 160): string {
  const shown = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > limit ? `${shown.slice(0, limit)}…` : shown;
}
