/**
 * What jcstar reads from an SWUpdate `sw-description` (libconfig text): the software-level version and, for
 * each image file, its name and SHA-256. Not a libconfig parser: comments and string contents are blanked
 * (offsets kept) so that braces and keywords inside them do not count, then the settings are found by name.
 */

/** swupdate reads sw-description into memory too; a real one is a few KiB. */
export const MAX_SW_DESCRIPTION_BYTES = 1024 * 1024;

export interface SwDescriptionFile {
  filename: string;
  sha256?: string;
}

/** The text with comments and the inside of strings replaced by spaces, same length. */
function structureOf(text: string): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let j = from; j < to && j < out.length; j += 1) if (out[j] !== '\n') out[j] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else {
      i += 1;
    }
  }
  return out.join('');
}

/** Each `name = "value"` setting (or `name: "value"`) in [from, to): its value and the value's offset. */
function stringSettings(text: string, structure: string, from: number, to: number): { name: string; value: string; offset: number }[] {
  const settings: { name: string; value: string; offset: number }[] = [];
  const setting = /(?<![\w-])([A-Za-z][\w-]*)\s*[=:]\s*"/g;
  setting.lastIndex = from;
  for (let m = setting.exec(structure); m && m.index < to; m = setting.exec(structure)) {
    const open = m.index + m[0].length;
    const close = structure.indexOf('"', open);
    if (close < 0) break;
    settings.push({ name: m[1], value: text.slice(open, close), offset: open });
    setting.lastIndex = close + 1;
  }
  return settings;
}

/** The software-level `version = "…";` (depth 1: inside `software = { … }`, outside its images), with the
 *  value's character offset. */
export function swDescriptionVersion(text: string): { version: string; offset: number } | null {
  const structure = structureOf(text);
  let depth = 0;
  let scanned = 0;
  for (const s of stringSettings(text, structure, 0, text.length)) {
    for (; scanned < s.offset; scanned += 1) {
      const c = structure[scanned];
      if (c === '{' || c === '(' || c === '[') depth += 1;
      else if (c === '}' || c === ')' || c === ']') depth -= 1;
    }
    if (s.name === 'version' && depth === 1) return { version: s.value, offset: s.offset };
  }
  return null;
}

/** Every innermost group that names a `filename`, with its `sha256` when it has one. */
export function swDescriptionFiles(text: string): SwDescriptionFile[] {
  const structure = structureOf(text);
  const files: SwDescriptionFile[] = [];
  for (const group of structure.matchAll(/\{[^{}]*\}/g)) {
    const settings = stringSettings(text, structure, group.index, group.index + group[0].length);
    const filename = settings.find((s) => s.name === 'filename')?.value;
    if (filename === undefined) continue;
    const sha256 = settings.find((s) => s.name === 'sha256')?.value;
    files.push({ filename, ...(sha256 !== undefined ? { sha256 } : {}) });
  }
  return files;
}
