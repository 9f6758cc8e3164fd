import { randomBytes } from 'node:crypto';

/** A value no device holds by chance, and safe in a URL, a JSON string, a form and a command line. */
export function userDataMarker(): string {
  return `jcstar-${randomBytes(12).toString('hex')}`;
}
