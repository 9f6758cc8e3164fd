/** The HTML views' one escaping tag: everything interpolated into `html` is escaped unless it is Markup. */

/** Markup that is already safe. */
export class Markup {
  constructor(readonly text: string) {}
}
export type Content = Markup | string | number | null | undefined | readonly Content[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export function render(content: Content): string {
  if (content instanceof Markup) return content.text;
  if (Array.isArray(content)) return content.map(render).join('');
  return content == null ? '' : escape(String(content));
}

/** Escapes by default, so device-controlled text cannot become markup unless someone opts out. */
export function html(strings: TemplateStringsArray, ...values: Content[]): Markup {
  return new Markup(strings.reduce((out, s, i) => out + render(values[i - 1]) + s));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Device text as a reader may see it: control and bidi-override characters would otherwise be invisible or
 * reorder the evidence, so they become escapes (tab and line feed stay), and a lone surrogate, which no
 * UTF-8 file can hold, becomes U+FFFD. The HTML report and the checklist show the same text this way.
 */
export function visible(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
      const code = c.codePointAt(0)!;
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}
