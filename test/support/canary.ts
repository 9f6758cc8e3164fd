import { readFileSync } from 'node:fs';
import { filesUnder } from './run-folder.js';

/** A password with every character that some encoding escapes: a space, `& + / = " ' < >` and a non-ASCII letter. */
export const CANARY = `p a&s+s/w=o"r'd<>é`;

const htmlNamed = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const nonAsciiAsJson = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Base64 characters that come from the secret alone, when it starts `shift` bytes into a 3-byte group. */
function base64Core(secret: string, shift: number): string {
  const bytes = Buffer.from(secret);
  const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
  return encoded.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6));
}

/**
 * The canary as a device may echo it, each form labelled. Every string here is what must not appear in a
 * run folder.
 */
export function encodedForms(secret: string, username = 'admin'): Record<string, string> {
  const component = encodeURIComponent(secret);
  const forms: Record<string, string> = {
    raw: secret,
    'encodeURIComponent': component,
    'encodeURIComponent, lower-case hex': component.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    'form (URLSearchParams)': new URLSearchParams({ p: secret }).toString().slice(2),
    'form, lower-case hex': new URLSearchParams({ p: secret }).toString().slice(2).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    'encodeURI': encodeURI(secret),
    'encodeURIComponent with + for space': component.replace(/%20/g, '+'),
    'HTML named entities, &#39;': htmlNamed(secret).replace(/'/g, '&#39;'),
    'HTML named entities, &apos;': htmlNamed(secret).replace(/'/g, '&apos;'),
    'HTML decimal entities': secret.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.codePointAt(0)};`),
    'HTML hex entities': secret.replace(/[^A-Za-z0-9]/g, (c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`),
    'HTML escape of &<>"\' only (Python html.escape)': htmlNamed(secret).replace(/'/g, '&#x27;'),
    JSON: JSON.stringify(secret).slice(1, -1),
    'JSON, \\/ and \\u for non-ASCII': nonAsciiAsJson(JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/')),
    'JSON, HTML-safe \\u003C': nonAsciiAsJson(JSON.stringify(secret).slice(1, -1)).replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`),
    'HTTP Basic user:password': Buffer.from(`${username}:${secret}`).toString('base64'),
  };
  for (const shift of [0, 1, 2]) {
    const core = base64Core(secret, shift);
    forms[`base64 at offset ${shift} mod 3`] = core;
    forms[`base64url at offset ${shift} mod 3`] = core.replace(/\+/g, '-').replace(/\//g, '_');
  }
  return forms;
}

/** `file: form` for every encoded form of the secret found in a file of the run folder. */
export function leaksIn(runDir: string, secret: string, username?: string): string[] {
  const forms = Object.entries(encodedForms(secret, username));
  const leaks: string[] = [];
  for (const file of filesUnder(runDir)) {
    const content = readFileSync(file).toString('latin1');
    const utf8 = readFileSync(file, 'utf8');
    for (const [label, form] of forms) {
      if (utf8.includes(form) || content.includes(Buffer.from(form).toString('latin1'))) leaks.push(`${file}: ${label}`);
    }
  }
  return leaks;
}
