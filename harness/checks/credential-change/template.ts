import { PLACEHOLDER, type TemplatePlaceholder } from '../../profile/semantics.js';
import type { Secret } from '../../secrets/secret.js';

export interface TemplateValues {
  username: string;
  oldPassword: Secret;
  newPassword: Secret;
}

/** How a value is written into the template: URL-encoded for a form, escaped for JSON, as is otherwise. */
export type Encoding = 'form' | 'json' | 'raw';

export function encodingFor(contentType: string): Encoding {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  return 'raw';
}

const ENCODERS: Record<Encoding, (value: string) => string> = {
  form: encodeURIComponent,
  json: (value) => JSON.stringify(value).slice(1, -1),
  raw: (value) => value,
};

/** The template filled in for the wire, and for the evidence with every password as its marker. */
export function fillTemplate(template: string, values: TemplateValues, encoding: Encoding): { wire: string; shown: string } {
  const encode = ENCODERS[encoding];
  const fill = (show: boolean) =>
    template.replace(PLACEHOLDER, (_match, name: string) => {
      const value = values[name as TemplatePlaceholder];
      if (typeof value === 'string') return encode(value);
      return show ? String(value) : encode(value.reveal());
    });
  return { wire: fill(false), shown: fill(true) };
}

/** Characters that would end or escape the quoting around a value in a shell command line. */
const SHELL_SPECIAL = /['"`$\\\n\r]/;

/** Whether every value can go into a command template as is. */
export function safeForShell(values: TemplateValues): boolean {
  return [values.username, values.oldPassword.reveal(), values.newPassword.reveal()].every((v) => !SHELL_SPECIAL.test(v));
}
