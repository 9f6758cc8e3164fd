/**
 * What a terminal user would read: no escape sequences (BusyBox ash asks for the cursor position right
 * after its prompt), no NULs, and line ends reduced to "\n" so prompts can be matched at the end.
 */
export function visibleText(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '')
    .replace(/\r\n|\r/g, '\n')
    .replace(/[\x00\x07]/g, '');
}

/** A line quoted in a reason: a prompt fits, a line without end does not. */
const QUOTED_LINE = 80;

/** The last line of `text`, trimmed; a long one keeps its end (where a prompt sits), marked with "…". */
export function lastLine(text: string): string {
  const line = text.trimEnd().split('\n').at(-1)!.trim();
  return line.length > QUOTED_LINE ? `…${line.slice(-QUOTED_LINE)}` : line;
}

/** The last line of `text` that matches `pattern`, trimmed. */
export function matchingLine(text: string, pattern: RegExp): string | undefined {
  return text.split('\n').reverse().find((line) => pattern.test(line))?.trim();
}
