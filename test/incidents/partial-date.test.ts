import { describe, expect, it } from 'vitest';
import { dayNumber, daysBetween, formatPartialDate, parsePartialDate, periodEnd, todayUtc } from '../../src/incidents/partial-date.js';

describe('partial dates', () => {
  it.each([
    ['2019', { on: '2019-01-01', precision: 'year' }, '2019-12-31'],
    ['2020-04', { on: '2020-04-01', precision: 'month' }, '2020-04-30'],
    ['2020-02', { on: '2020-02-01', precision: 'month' }, '2020-02-29'],
    ['2019-02', { on: '2019-02-01', precision: 'month' }, '2019-02-28'],
    ['2019-12', { on: '2019-12-01', precision: 'month' }, '2019-12-31'],
    ['2019-01', { on: '2019-01-01', precision: 'month' }, '2019-01-31'],
    ['2020-06-30', { on: '2020-06-30', precision: 'day' }, '2020-06-30'],
    // A day's period is that day, never the end of its month.
    ['2020-06-01', { on: '2020-06-01', precision: 'day' }, '2020-06-01'],
    ['2020-02-29', { on: '2020-02-29', precision: 'day' }, '2020-02-29'],
    ['2019-12-31', { on: '2019-12-31', precision: 'day' }, '2019-12-31'],
    ['1900', { on: '1900-01-01', precision: 'year' }, '1900-12-31'],
  ] as const)('GIVEN %s THEN it covers %o up to %s', (text, parsed, end) => {
    const date = parsePartialDate(text)!;
    expect(date).toEqual(parsed);
    expect(periodEnd(date)).toBe(end);
    expect(formatPartialDate(date)).toBe(text);
  });

  it.each([' 2020-04 ', '2020-04\n', '\t2019'])('GIVEN %j with space around THEN the date inside it', (text) => {
    expect(formatPartialDate(parsePartialDate(text)!)).toBe(text.trim());
  });

  it.each([
    '2020-02-30', '2019-02-29', '2020-04-31', '2020-04-00', '2019-13', '2019-00', '2019-13-01', '2019-00-10', '19', '2019/04/01', 'April 2020', '', '1850', '1899',
    '2020-4-1', '2020-04-1', '20190', '2019-', '2019-04-', 'x2019', '2019x', '2020-04-01x', 'x2020-04-01', '2020-04-01-02',
  ])('GIVEN %j THEN it is not a date', (text) => expect(parsePartialDate(text)).toBeNull());

  it.each([
    ['2020-06-30T23:59:59.999Z', '2020-06-30'],
    ['2020-07-01T00:00:00.000Z', '2020-07-01'],
  ])('GIVEN the instant %s THEN today in UTC is %s', (instant, day) => {
    expect(todayUtc(new Date(instant))).toBe(day);
  });

  it('GIVEN no instant THEN today is the current UTC day', () => {
    expect(todayUtc()).toBe(new Date().toISOString().slice(0, 10));
  });

  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-03-01', 11_017],
    ['2020-02-29', 18_321],
    ['2020-03-01', 18_322],
    ['1900-03-01', -25_508],
  ] as const)('GIVEN the day %s THEN it is day %i since 1970-01-01', (iso, n) => {
    expect(dayNumber(iso)).toBe(n);
  });

  it('GIVEN every day from 1900 to 2100 THEN its number is the one Date.parse gives, one apart from the next', () => {
    let mismatched = 0;
    let previous = dayNumber('1899-12-31');
    for (let t = Date.UTC(1900, 0, 1); t < Date.UTC(2101, 0, 1); t += 86_400_000) {
      const n = dayNumber(new Date(t).toISOString().slice(0, 10));
      if (n !== t / 86_400_000 || n !== previous + 1) mismatched += 1;
      previous = n;
    }
    expect(mismatched).toBe(0);
  });

  it('GIVEN two days THEN the days between them count forward, and back when the second comes first', () => {
    expect(daysBetween('2019-08-01', '2020-04-01')).toBe(244);
    expect(daysBetween('2020-04-01', '2019-08-01')).toBe(-244);
    expect(daysBetween('2020-06-30', '2020-06-30')).toBe(0);
  });
});
