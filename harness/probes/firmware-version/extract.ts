/** Where the version is in a device's answer: a JSON pointer, a regular expression, or the whole (short) answer. */
export interface VersionExtraction {
  jsonPointer?: string;
  pattern?: string;
}

export type Extracted = { ok: true; version: string } | { ok: false; reason: string };

/** A bare answer longer than this is not a version string but a page or a dump; the profile must say where to look. */
const MAX_BARE_ANSWER = 200;
/** How much of the answer a reason quotes. */
const QUOTED = 40;

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `'${flat.length > QUOTED ? `${flat.slice(0, QUOTED)}…` : flat}'`;
}

/** RFC 6901: "/a/b~1c/0" → ["a", "b/c", "0"]. */
function tokensOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function atPointer(text: string, pointer: string): Extracted {
  let current: unknown;
  try {
    current = JSON.parse(text);
  } catch {
    return { ok: false, reason: `the answer is not JSON, so JSON pointer ${pointer} has nothing to read in ${quote(text)}` };
  }
  for (const token of tokensOf(pointer)) {
    const own = typeof current === 'object' && current !== null && Object.hasOwn(current, token);
    if (!own) return { ok: false, reason: `JSON pointer ${pointer} found nothing in ${quote(text)}` };
    current = (current as Record<string, unknown>)[token];
  }
  if (typeof current === 'string' && current.trim() !== '') return { ok: true, version: current.trim() };
  if (typeof current === 'number') return { ok: true, version: String(current) };
  return { ok: false, reason: `JSON pointer ${pointer} points at ${JSON.stringify(current)?.slice(0, QUOTED) ?? 'nothing'}, not a version string` };
}

function byPattern(text: string, pattern: string): Extracted {
  const match = new RegExp(pattern).exec(text);
  if (!match) return { ok: false, reason: `pattern ${pattern} matched nothing in ${quote(text)}` };
  const version = (match.length > 1 ? match[1] : match[0])?.trim();
  return version ? { ok: true, version } : { ok: false, reason: `pattern ${pattern} matched an empty string in ${quote(text)}` };
}

/** The version in `text` as the profile says where to find it: the pointer first, then the pattern on what it found. */
export function extractVersion(text: string, how: VersionExtraction): Extracted {
  let value = text;
  if (how.jsonPointer !== undefined) {
    const found = atPointer(text, how.jsonPointer);
    if (!found.ok || how.pattern === undefined) return found;
    value = found.version;
  }
  if (how.pattern !== undefined) return byPattern(value, how.pattern);
  const bare = text.trim();
  if (bare === '') return { ok: false, reason: 'the answer is empty' };
  if (bare.length > MAX_BARE_ANSWER) return { ok: false, reason: `the answer is ${bare.length} characters, too long for a version string (${quote(bare)}); declare a pattern or jsonPointer` };
  return { ok: true, version: bare };
}
