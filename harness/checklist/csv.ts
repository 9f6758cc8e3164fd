import { neutraliseFormula } from './formula-guard.js';

/** The byte-order mark that makes Excel read a CSV file as UTF-8 (Japanese text is garbled otherwise). */
export const UTF8_BOM = '\uFEFF';

// RFC 4180: quote a field holding a comma, a quote or a line break, and double the quotes inside it.
function field(text: string): string {
  const safe = neutraliseFormula(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV with CRLF line ends, UTF-8 with a BOM. */
export function toCsv(rows: string[][]): string {
  return UTF8_BOM + rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
