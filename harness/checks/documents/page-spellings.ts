/**
 * How a page may spell what a declaration states. English spellings are what a UK PSTI statement needs;
 * Japanese ones count otherwise. Texts are NFKC-normalised first (see page-text.ts).
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Spellings of an ISO date (2027-03-31): ISO and numeric forms, "31 March 2027", "March 31, 2027", "31st Mar. 2027". */
export function englishDatePatterns(iso: string): RegExp[] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const month = MONTHS[m - 1]!;
  const mon = `(?:${month}|${month.slice(0, 3)}\\.?)`;
  const day = `0?${d}(?:st|nd|rd|th)?`;
  const mm = `0?${m}`;
  return [
    new RegExp(`\\b${y}[-/.]${mm}[-/.]0?${d}\\b`),
    new RegExp(`\\b${day}\\s+${mon},?\\s+${y}\\b`, 'i'),
    new RegExp(`\\b${mon}\\s+${day},?\\s+${y}\\b`, 'i'),
  ];
}

export function japaneseDatePatterns(iso: string): RegExp[] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return [new RegExp(`${y}\\s*年\\s*0?${m}\\s*月\\s*0?${d}\\s*日`)];
}

/** A number of days: "5 days", "5 business days", "within 5 working days". */
export function englishDaysPattern(days: number): RegExp {
  return new RegExp(`(?<![\\d.])${days}\\s*(?:-\\s*)?(?:business |working |calendar )?days?\\b`, 'i');
}

/** 「5日」「5営業日」「5日以内」. */
export function japaneseDaysPattern(days: number): RegExp {
  return new RegExp(`(?<![\\d.])${days}\\s*(?:営業|稼働)?日`);
}

export function carriesText(text: string, wanted: string): boolean {
  return new RegExp(escape(wanted.normalize('NFKC')).replace(/\s+/g, '\\s+'), 'i').test(text);
}
