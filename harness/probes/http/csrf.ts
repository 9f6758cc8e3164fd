/**
 * Reading a login page without an HTML parser: the attributes of its tags, enough to find a CSRF token
 * and to tell whether a password field is on the page, and its visible text for matching messages.
 * One linear pass, so that a hostile page cannot make the scan quadratic.
 */

export interface CsrfToken {
  /** Form field to send it in; null when only a <meta> carried it and no csrf-param names the field. */
  field: string | null;
  value: string;
  /** Where it was found, for the transcript. */
  source: string;
}

interface Tag {
  name: string;
  attributes: Map<string, string>;
}

interface ScannedPage {
  tags: Tag[];
  text: string;
}

const ATTRIBUTE = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const AUTO_FIELD = /csrf|xsrf|token|authenticity/i;
const RAW_TEXT_ELEMENTS = new Set(['script', 'style']);
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : lower.startsWith('#') ? parseInt(lower.slice(1), 10) : -1;
    if (code === -1) return NAMED_ENTITIES[lower] ?? whole;
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const a of source.matchAll(ATTRIBUTE)) {
    const key = (a[1] ?? '').toLowerCase();
    if (!attributes.has(key)) attributes.set(key, decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
  }
  return attributes;
}

/** Index of the '>' that closes the tag opened before `from`, skipping quoted values; html.length if none. */
function tagEnd(html: string, from: number): number {
  let quote = '';
  for (let i = from; i < html.length; i++) {
    const c = html[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return html.length;
}

function scan(html: string): ScannedPage {
  const tags: Tag[] = [];
  const text: string[] = [];
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open === -1) {
      text.push(html.slice(i));
      break;
    }
    text.push(html.slice(i, open));
    if (html.startsWith('<!--', open)) {
      const close = html.indexOf('-->', open + 4);
      i = close === -1 ? html.length : close + 3;
      text.push(' ');
      continue;
    }
    if (html.startsWith('<!', open) || html.startsWith('<?', open)) {
      // <!DOCTYPE html>, <?xml …?>: markup declarations, not text a reader sees.
      const close = html.indexOf('>', open + 2);
      i = close === -1 ? html.length : close + 1;
      text.push(' ');
      continue;
    }
    const name = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(open, open + 64));
    if (!name) {
      text.push('<');
      i = open + 1;
      continue;
    }
    text.push(' ');
    const end = tagEnd(html, open + name[0].length);
    const tagName = (name[1] ?? '').toLowerCase();
    i = end + 1;
    if (name[0][1] === '/') continue;
    tags.push({ name: tagName, attributes: parseAttributes(html.slice(open + name[0].length, end)) });
    if (RAW_TEXT_ELEMENTS.has(tagName)) {
      const close = new RegExp(`</${tagName}`, 'gi');
      close.lastIndex = i;
      i = close.exec(html)?.index ?? html.length;
    }
  }
  return { tags, text: decodeEntities(text.join('')).replace(/\s+/g, ' ').trim() };
}

function inputs(page: ScannedPage): Map<string, string>[] {
  return page.tags.filter((t) => t.name === 'input').map((t) => t.attributes);
}

/**
 * Whether the page carries the login form: an input named like the login's password field, or a
 * password input beside its username field. A page after login may hold other password inputs
 * (a change-password form), which do not count.
 */
/** A password field in a page: the page asks for a login. */
export const PASSWORD_INPUT = /<input\b[^>]*\btype\s*=\s*["']?password\b/i;

export function showsLoginForm(html: string, usernameField: string, passwordField: string): boolean {
  const fields = inputs(scan(html));
  const named = (name: string) => fields.some((i) => i.get('name') === name);
  return named(passwordField) || (named(usernameField) && fields.some((i) => i.get('type')?.toLowerCase() === 'password'));
}

/** What the page says to a reader: tags, comments, scripts and styles dropped. */
export function visibleText(html: string): string {
  return scan(html).text;
}

/**
 * The page's CSRF token: the input named `field` when the profile names one; otherwise a hidden input
 * whose name looks like a token, then a `<meta name="csrf-token">` (with `csrf-param` naming the field).
 */
export function findCsrfToken(html: string, field?: string): CsrfToken | null {
  const page = scan(html);
  const fields = inputs(page);
  if (field !== undefined) {
    const named = fields.find((i) => i.get('name') === field);
    return named ? { field, value: named.get('value') ?? '', source: `input "${field}"` } : null;
  }
  const hidden = fields.find((i) => i.get('type')?.toLowerCase() === 'hidden' && AUTO_FIELD.test(i.get('name') ?? ''));
  if (hidden) {
    const name = hidden.get('name') ?? '';
    return { field: name, value: hidden.get('value') ?? '', source: `hidden input "${name}"` };
  }
  const meta = (name: string) => page.tags.find((t) => t.name === 'meta' && t.attributes.get('name')?.toLowerCase() === name)?.attributes.get('content');
  const value = meta('csrf-token');
  if (value === undefined) return null;
  return { field: meta('csrf-param') ?? null, value, source: '<meta name="csrf-token">' };
}
