/**
 * A table an evidence record carries in `data.table`, which reports render as is (per-port TLS, DTLS
 * and SSH tables). Cells may hold several lines.
 */
export interface EvidenceTable {
  caption: string;
  header: string[];
  rows: string[][];
}

export function isEvidenceTable(value: unknown): value is EvidenceTable {
  const t = value as EvidenceTable | null | undefined;
  const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((s) => typeof s === 'string');
  return typeof t?.caption === 'string' && strings(t.header) && Array.isArray(t.rows) && t.rows.every(strings);
}
