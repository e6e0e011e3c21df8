import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { visibleTo } from '../trust/tlp.js';
import { daysBetween } from './partial-date.js';
import type { Viewer } from '../trust/tlp.js';

/**
 * The repeat rule, written once: two incidents of a victim are within the window when
 * their starts, compared by the intervals they cover, come at most `windowDays` apart.
 * That is *certain* when every day of both intervals is within the window (two exact
 * dates, or "2020-04" and "2020-06"), and only *possible* when partial dates let it
 * ("2014" and "2014-10"). Verdicts, repeat listings, alert audiences, alert texts and
 * counts all ask here.
 */
export type Certainty = 'certain' | 'possible';

/** The longest start interval, a year's in a leap year, in days. */
const YEAR_DAYS = 366;

/** The two incidents' start intervals: 'YYYY-MM-DD' first and last day each. */
export interface StartInterval {
  started: { on: string };
  startedUntil: string;
}

/** How surely `a` and `b` fall within the window; null when they do not. */
export function certaintyOf(a: StartInterval, b: StartInterval, windowDays: number): Certainty | null {
  const nearest = Math.max(daysBetween(a.startedUntil, b.started.on), daysBetween(b.startedUntil, a.started.on), 0);
  if (nearest > windowDays) return null;
  const farthest = Math.max(daysBetween(a.started.on, b.startedUntil), daysBetween(b.started.on, a.startedUntil));
  return farthest <= windowDays ? 'certain' : 'possible';
}

/**
 * The same rule in SQL, for incidents aliased `i` (the one judged) and `o` (another of
 * its victim's): within the window at least as surely as `certainty`, both incidents
 * (never a report joined to one, never retracted) that `viewer` may see.
 */
export function inRepeatWindow(windowDays: number, viewer: Viewer, certainty: Certainty = 'possible', i = 'i', o = 'o'): RawBuilder<boolean> {
  const [ion, iuntil, oon, ountil] = [sql.ref(`${i}.started_on`), sql.ref(`${i}.started_until`), sql.ref(`${o}.started_on`), sql.ref(`${o}.started_until`)];
  // Each with a bound on the other's start alone that the rule implies, so an index on
  // (…, started_on) reads only the years near (an alert's other victims of a vendor read
  // the vendor's whole history without it): certain, the other starts at most the window
  // before this one; possible, its start interval (a leap year at most) reaches the window.
  const meets = certainty === 'certain'
    ? sql`greatest(${ountil} - ${ion}, ${iuntil} - ${oon}) <= ${windowDays}::int and ${oon} >= ${ion} - ${windowDays}::int`
    : sql`${oon} <= ${iuntil} + ${windowDays}::int and ${ountil} >= ${ion} - ${windowDays}::int and ${oon} >= ${ion} - ${windowDays + YEAR_DAYS}::int`;
  return sql<boolean>`(${meets} and ${visibleTo(viewer, o)} and ${visibleTo(viewer, i)})`;
}

/** What a possible repeat's dates are known to, for people: "dates known only to the year". */
export function possibleBecause(a: { started: { precision: string } }, b: { started: { precision: string } }): string {
  const coarsest = [a.started.precision, b.started.precision].includes('year') ? 'year' : 'month';
  return `dates known only to the ${coarsest}`;
}
