/** What a person reads on a fetched page: tags and scripts dropped, common entities decoded, NFKC (全角 digits → ASCII). */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Elements whose content nobody reads on the page. */
const UNREAD_ELEMENTS = ['script', 'style'];

/** Whether to read a page as HTML: by its media type, or without one by the tags it carries. */
export function isHtml(body: Buffer, mediaType: string | null): boolean {
  return mediaType === null ? /<html|<body|<p[\s>]/i.test(body.toString('latin1')) : /html/i.test(mediaType);
}

export function pageText(decoded: string, html: boolean): string {
  const text = html
    ? // Bounded entity names: a page is hostile input, and the regex runs over all of it.
      withoutTags(decoded).replace(/&(#x[0-9a-f]{1,8}|#\d{1,10}|[a-z]{1,32});/gi, (whole, name: string) => decodeEntity(name) ?? whole)
    : decoded;
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/**
 * The page with every tag and comment, and the content of script and style elements, replaced by a space. A single
 * forward scan: a regex over tags backtracks quadratically on a body of unclosed `<`, and a hostile page
 * must not stall the event loop. A `<` with no `>` after it is text, as are the characters after it.
 */
function withoutTags(raw: string): string {
  const parts: string[] = [];
  const closes = new ClosingTags(raw);
  let at = 0;
  while (at < raw.length) {
    const open = raw.indexOf('<', at);
    if (open === -1) break;
    if (raw.startsWith('<!--', open)) {
      // A comment is not on the page, to its end or, unclosed, to the end of the page (as a browser reads it).
      const end = raw.indexOf('-->', open + 4);
      parts.push(raw.slice(at, open), ' ');
      at = end === -1 ? raw.length : end + 3;
      continue;
    }
    const end = raw.indexOf('>', open + 1);
    if (end === -1) break;
    parts.push(raw.slice(at, open), ' ');
    at = end + 1;
    const element = UNREAD_ELEMENTS.find((name) => startsElement(raw, open, name));
    const close = element === undefined ? null : closes.after(element, at);
    if (close !== null) at = close;
  }
  parts.push(raw.slice(at));
  return parts.join('');
}

/** `<name` followed by a word boundary, case-insensitively. */
function startsElement(raw: string, open: number, name: string): boolean {
  const after = raw.charAt(open + 1 + name.length);
  return raw.slice(open + 1, open + 1 + name.length).toLowerCase() === name && !/\w/.test(after);
}

/**
 * Finds `</name\s*>` forward from a position. Each element's last answer is remembered, so a page of many
 * unclosed `<script>` tags is scanned once per element name, not once per tag.
 */
class ClosingTags {
  readonly #raw: string;
  /** Per element: the last search's start, and where its closing tag starts and ends (null: none after it). */
  readonly #found = new Map<string, { from: number; close: { start: number; end: number } | null }>();

  constructor(raw: string) {
    this.#raw = raw;
  }

  /** The position just past the first closing tag at or after `from`, or null when there is none. */
  after(name: string, from: number): number | null {
    const known = this.#found.get(name);
    if (known && known.from <= from && (known.close === null || known.close.start >= from)) return known.close?.end ?? null;
    const close = this.#search(name, from);
    this.#found.set(name, { from, close });
    return close?.end ?? null;
  }

  #search(name: string, from: number): { start: number; end: number } | null {
    const raw = this.#raw;
    let at = from;
    for (;;) {
      const start = raw.indexOf('</', at);
      if (start === -1) return null;
      at = start + 2;
      if (raw.slice(at, at + name.length).toLowerCase() !== name) continue;
      at += name.length;
      while (at < raw.length && /\s/.test(raw.charAt(at))) at++;
      if (raw.charAt(at) === '>') return { start, end: at + 1 };
    }
  }
}

/** The character a reference names; a reference to no character (past U+10FFFF, a surrogate, NUL) stays as written. */
function decodeEntity(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith('#')) return ENTITIES[lower];
  const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number(lower.slice(1));
  const character = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return character ? String.fromCodePoint(code) : undefined;
}
