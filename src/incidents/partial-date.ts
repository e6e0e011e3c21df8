import type { DatePrecision } from '../db/schema.js';

/**
 * A date as reporting gives it: a day, a month or just a year. It is stored as the
 * first day it covers with its precision, and compared by the interval it covers.
 */
export interface PartialDate {
  /** First day covered, 'YYYY-MM-DD'. */
  on: string;
  precision: DatePrecision;
}

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * @example
 *   parsePartialDate('2019')       // { on: '2019-01-01', precision: 'year' }
 *   parsePartialDate('2020-04')    // { on: '2020-04-01', precision: 'month' }
 *   parsePartialDate('2020-06-30') // { on: '2020-06-30', precision: 'day' }
 *   parsePartialDate('2020-02-30') // null
 */
export function parsePartialDate(text: string): PartialDate | null {
  const match = PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, m, d] = match;
  const year = Number(y);
  const month = m === undefined ? 1 : Number(m);
  const day = d === undefined ? 1 : Number(d);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const precision: DatePrecision = d !== undefined ? 'day' : m !== undefined ? 'month' : 'year';
  return { on: isoDay(year, month, day), precision };
}

/** The last day a partial date covers. */
export function periodEnd(date: PartialDate): string {
  const [year, month] = date.on.split('-').map(Number) as [number, number];
  if (date.precision === 'year') return `${year}-12-31`;
  if (date.precision === 'month') return isoDay(year, month, daysInMonth(year, month));
  return date.on;
}

/** The date as people write it at its precision: '2019', '2020-04', '2020-06-30'. */
export function formatPartialDate(date: PartialDate): string {
  if (date.precision === 'year') return date.on.slice(0, 4);
  if (date.precision === 'month') return date.on.slice(0, 7);
  return date.on;
}

/** Today in UTC, 'YYYY-MM-DD'. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
