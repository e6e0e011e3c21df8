import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { parseSubmission } from '../../src/incidents/submission.js';
import { submission } from '../support/submissions.js';

function fieldsOf(input: unknown): string[] {
  try {
    parseSubmission(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors.map((e) => e.field);
  }
  throw new Error('the submission was accepted');
}

describe('the incident submission schema', () => {
  it('GIVEN a complete submission THEN it is accepted with partial dates and canonical codes', () => {
    const parsed = parseSubmission(submission({
      victim: { name: 'City of Odessa', country: 'us', region: 'Texas' },
      startDate: '2020-04', endDate: '2020-06', techniques: ['t1190', 'T1190', 'T1059.001'],
    }));
    expect(parsed.startDate).toEqual({ on: '2020-04-01', precision: 'month' });
    expect(parsed.endDate).toEqual({ on: '2020-06-01', precision: 'month' });
    expect(parsed.victim.country).toBe('US');
    expect(parsed.techniques).toEqual(['T1190', 'T1059.001']);
  });

  it('GIVEN a submission it validated THEN it is returned as it is, while a copy of it is validated again', () => {
    const parsed = parseSubmission(submission({ startDate: '2020-04' }));
    expect(parseSubmission(parsed)).toBe(parsed);
    // A copy is new input: its dates are parsed objects now, not the text a submission gives.
    expect(fieldsOf({ ...parsed })).toContain('startDate');
  });

  it('GIVEN blank optional fields from a form THEN they count as not given', () => {
    const parsed = parseSubmission(submission({ description: '   ', vendor: '', endDate: '' }));
    expect(parsed.description).toBeUndefined();
    expect(parsed.vendor).toBeUndefined();
    expect(parsed.endDate).toBeUndefined();
  });

  it.each([
    ['1500', 1500], ['1,500', 1500], ['1,234,567', 1_234_567], ['1 500', 1500], ['12\u202f000', 12_000], [' 42 ', 42], ['0', 0], [1500, 1500],
  ])('GIVEN records affected written as %j THEN it is stored as %d', (typed, expected) => {
    expect(parseSubmission(submission({ recordsAffected: typed })).recordsAffected).toBe(expected);
  });

  it.each(['0x10', '1e3', '1.5', '1,5', '1,50,000', '+7', 'Infinity', '١٢', '12abc', '1_000', 1.5, Number.NaN])(
    'GIVEN records affected written as %j THEN it is refused, naming the field and saying what to write', (typed) => {
      const refused = (() => {
        try {
          parseSubmission(submission({ recordsAffected: typed }));
        } catch (error) {
          return (error as ValidationError).fieldErrors;
        }
        throw new Error('the submission was accepted');
      })();
      expect(refused.map((e) => e.field)).toEqual(['recordsAffected']);
      expect(refused[0]!.message).toMatch(/^Records affected .*whole number/);
    });

  it('GIVEN Unicode, emoji and right-to-left text THEN it is kept intact', () => {
    const summary = 'Атака на мэрию 🏛️ — هجوم على البلدية';
    expect(parseSubmission(submission({ summary })).summary).toBe(summary);
  });

  it.each([
    ['a future start date', { startDate: '2999-01-01' }, 'startDate'],
    ['a future disclosure date', { disclosedDate: '2999-05' }, 'disclosedDate'],
    ['an end before the start', { startDate: '2020-04', endDate: '2020-03-31' }, 'endDate'],
    ['a discovery before the start', { startDate: '2020', discoveredDate: '2019-12' }, 'discoveredDate'],
    ['an impossible date', { startDate: '2020-02-30' }, 'startDate'],
    ['an unknown country code', { victim: { name: 'City of Odessa', country: 'ZZ' } }, 'victim.country'],
    ['an empty victim', { victim: { name: '   ' } }, 'victim.name'],
    ['no victim at all', { victim: undefined }, 'victim'],
    ['a 10,000-character summary', { summary: 'x'.repeat(10_000) }, 'summary'],
    ['a source that is not http(s)', { sources: ['javascript:alert(1)'] }, 'sources.0'],
    ['a source with a space', { sources: ['https://example.org/a b'] }, 'sources.0'],
    ['an ftp source', { sources: ['https://ok.example/', 'ftp://example.org/x'] }, 'sources.1'],
    ['a technique that is not ATT&CK', { techniques: ['T9999'] }, 'techniques.0'],
    ['a technique that is not an id', { techniques: ['SQL injection'] }, 'techniques.0'],
    ['an unknown motive', { motives: ['revenge'] }, 'motives.0'],
    ['an unknown impact', { impact: ['privacy'] }, 'impact.0'],
    ['negative records', { recordsAffected: -5 }, 'recordsAffected'],
    ['a NUL in the summary', { summary: 'card data\u0000 stolen' }, 'summary'],
    ['an escape sequence in the victim name', { victim: { name: 'Odessa\u001b[31m' } }, 'victim.name'],
    ['a newline in the vendor', { vendor: 'Click2Gov\nInjected' }, 'vendor'],
    ['a C1 control in the title', { title: 'Breach\u0085' }, 'title'],
  ])('GIVEN %s THEN the error names %s', (_what, overrides, field) => {
    expect(fieldsOf(submission(overrides as never))).toContain(field);
  });

  it('GIVEN several problems THEN each is reported with its own field', () => {
    expect(fieldsOf(submission({ victim: { name: '' }, startDate: 'soon', sources: ['nope'] }))).toEqual(
      expect.arrayContaining(['victim.name', 'startDate', 'sources.0']),
    );
  });

  it.each([null, 42, 'odessa', []])('GIVEN %j instead of an object THEN it is rejected, not crashed on', (input) => {
    expect(fieldsOf(input).length).toBeGreaterThan(0);
  });

  it('GIVEN a newline in the summary THEN it is kept (multi-line field)', () => {
    expect(parseSubmission(submission({ summary: 'first line\nsecond line' })).summary).toBe('first line\nsecond line');
  });
});
