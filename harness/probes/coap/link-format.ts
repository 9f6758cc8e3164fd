/**
 * The CoRE Link Format of `/.well-known/core` (RFC 6690 §2): `<uri>;attr=value;attr="quoted, value",<uri2>…`.
 * node-coap serves it but has no parser. Quoted values may hold commas and semicolons, so this is a
 * single scan that tracks quotes rather than a split.
 */

export interface CoreLink {
  /** The URI-reference between < and >, as written. */
  target: string;
  /** Parameter name (lower case) → value; a parameter without a value maps to ''. */
  attributes: Record<string, string>;
}

/** Splits `text` at each `separator` outside <…> and "…". */
function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let bracketed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === '"' && !bracketed) quoted = !quoted;
    else if (c === '<' && !quoted) bracketed = true;
    else if (c === '>' && !quoted) bracketed = false;
    if (c === separator && !quoted && !bracketed) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return /^".*"$/s.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

/** The links of a link-format document; malformed entries (no <uri>) are skipped. */
export function parseLinkFormat(text: string): CoreLink[] {
  const links: CoreLink[] = [];
  for (const entry of splitOutside(text, ',')) {
    const [head, ...params] = splitOutside(entry.trim(), ';');
    const target = /^<([^>]*)>$/.exec((head ?? '').trim())?.[1];
    if (target === undefined) continue;
    const attributes: Record<string, string> = {};
    for (const param of params) {
      const eq = param.indexOf('=');
      const name = (eq === -1 ? param : param.slice(0, eq)).trim().toLowerCase();
      if (name && !(name in attributes)) attributes[name] = eq === -1 ? '' : unquote(param.slice(eq + 1).trim());
    }
    links.push({ target, attributes });
  }
  return links;
}
