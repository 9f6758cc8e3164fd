/**
 * Device text reaches the checklist (reasons quote banners and replies). A spreadsheet would run a cell that
 * starts like a formula (OWASP "CSV injection"), so such a cell gets a leading apostrophe, which spreadsheets
 * read as "this is text".
 */
// Japanese Excel may also take the full-width ＝＋－＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20) as a formula start.
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
