/**
 * Device text reaches the checklist (reasons quote banners and replies). A spreadsheet would run a cell that
 * starts like a formula (OWASP "CSV injection"), so such a cell gets a leading apostrophe, which spreadsheets
 * read as "this is text".
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
