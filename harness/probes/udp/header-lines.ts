/** Header lines of an HTTP-like datagram (SSDP, SIP): a status line, then `Name: value` lines. */

/** Lines read from one datagram: a real answer has a dozen. */
const MAX_LINES = 40;

export interface HeaderBlock {
  status: string;
  /** Header names in lower case; the first of repeated headers wins. */
  headers: Record<string, string>;
}

export function parseHeaderBlock(answer: Buffer): HeaderBlock {
  const lines = answer.subarray(0, 8192).toString('latin1').split(/\r?\n/, MAX_LINES);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  return { status: lines[0] ?? '', headers };
}
