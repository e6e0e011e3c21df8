import { describe, expect, it } from 'vitest';
import { formatPartialDate, parsePartialDate, periodEnd } from '../../src/incidents/partial-date.js';

describe('partial dates', () => {
  it.each([
    ['2019', { on: '2019-01-01', precision: 'year' }, '2019-12-31'],
    ['2020-04', { on: '2020-04-01', precision: 'month' }, '2020-04-30'],
    ['2020-02', { on: '2020-02-01', precision: 'month' }, '2020-02-29'],
    ['2020-06-30', { on: '2020-06-30', precision: 'day' }, '2020-06-30'],
  ] as const)('GIVEN %s THEN it covers %o up to %s', (text, parsed, end) => {
    const date = parsePartialDate(text)!;
    expect(date).toEqual(parsed);
    expect(periodEnd(date)).toBe(end);
    expect(formatPartialDate(date)).toBe(text);
  });

  it.each(['2020-02-30', '2019-13', '2019-00', '19', '2019/04/01', 'April 2020', '', '1850', '2020-4-1'])(
    'GIVEN %j THEN it is not a date',
    (text) => expect(parsePartialDate(text)).toBeNull(),
  );
});
