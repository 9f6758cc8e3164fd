/**
 * How a page may spell what a declaration states. English spellings are what a UK PSTI statement needs;
 * Japanese ones count otherwise. Texts are NFKC-normalised first (see page-text.ts).
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Day counts a page may spell out ("five working days"); larger ones are written in digits. */
const NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];

/** The first day of the Reiwa era (令和元年 is 2019 from 1 May); earlier dates are Heisei. */
const REIWA_FROM = '2019-05-01';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Spellings of an ISO date (2027-03-31): ISO and numeric forms, "31 March 2027", "March 31, 2027", "31st Mar. 2027",
 * and the UK's 31/03/2027 when it cannot be read as another date in the US order (the day is over 12, or equals the month).
 */
export function englishDatePatterns(iso: string): RegExp[] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const month = MONTHS[m - 1]!;
  const mon = `(?:${month}|${month.slice(0, 3)}\\.?)`;
  const day = `0?${d}(?:st|nd|rd|th)?`;
  const mm = `0?${m}`;
  const unambiguous = d > 12 || d === m;
  return [
    new RegExp(`\\b${y}[-/.]${mm}[-/.]0?${d}\\b`),
    new RegExp(`\\b${day}\\s+${mon},?\\s+${y}\\b`, 'i'),
    new RegExp(`\\b${mon}\\s+${day},?\\s+${y}\\b`, 'i'),
    ...(unambiguous ? [new RegExp(`\\b0?${d}/${mm}/${y}\\b`)] : []),
  ];
}

/** 2027年3月31日, and in the Reiwa era 令和9年3月31日 (令和元年 for 2019). */
export function japaneseDatePatterns(iso: string): RegExp[] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const monthDay = `\\s*年\\s*0?${m}\\s*月\\s*0?${d}\\s*日`;
  const reiwa = y === 2019 ? '(?:元|1)' : String(y - 2018);
  return [new RegExp(`${y}${monthDay}`), ...(iso >= REIWA_FROM ? [new RegExp(`令和\\s*${reiwa}${monthDay}`)] : [])];
}

/** A number of days: "5 days", "5 business days", "within 5 working days", "five days", "twenty-one days". */
export function englishDaysPattern(days: number): RegExp {
  const word = numberWord(days);
  // "five" is not the end of "twenty-five".
  const count = `(?:(?<![\\d.])${days}${word ? `|\\b(?<!(?:twenty|thirty)[-\\s])${word}` : ''})`;
  return new RegExp(`${count}\\s*(?:-\\s*)?(?:business |working |calendar )?days?\\b`, 'i');
}

/** 1–31 in words ("twenty-one", also "twenty one"), or null. */
function numberWord(n: number): string | null {
  if (!Number.isInteger(n) || n < 1 || n > 31) return null;
  if (n <= 20) return NUMBER_WORDS[n - 1]!;
  const tens = n < 30 ? 'twenty' : 'thirty';
  return n % 10 === 0 ? tens : `${tens}[-\\s]${NUMBER_WORDS[(n % 10) - 1]!}`;
}

/** 「5日」「5営業日」「5日以内」. */
export function japaneseDaysPattern(days: number): RegExp {
  return new RegExp(`(?<![\\d.])${days}\\s*(?:営業|稼働)?日`);
}

export function carriesText(text: string, wanted: string): boolean {
  return new RegExp(escape(wanted.normalize('NFKC')).replace(/\s+/g, '\\s+'), 'i').test(text);
}
