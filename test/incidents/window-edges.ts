import type { Certainty } from '../../src/incidents/repeat-window.js';

/**
 * The repeat rule's edges, at each precision and on both sides: repeat-rule.test.ts
 * checks them in code, repeat-window-edges.test.ts in SQL on real rows.
 */
export const WINDOW_EDGES: [earlier: string, later: string, windowDays: number, expected: Certainty | null][] = [
  // Two days: 365 days apart is within, 366 is not (2019 has 365 days, 2020 has 366).
  ['2019-01-01', '2020-01-01', 365, 'certain'],
  ['2019-01-01', '2020-01-02', 365, null],
  ['2020-01-01', '2020-12-31', 365, 'certain'],
  ['2020-01-01', '2021-01-01', 365, null],
  ['2020-03-01', '2020-05-30', 90, 'certain'],
  ['2020-03-01', '2020-05-31', 90, null],
  // A month and a day: certain while the month's first day is within, possible while its last day is.
  ['2019-04', '2020-03-31', 365, 'certain'],
  ['2019-04', '2020-04-01', 365, 'possible'],
  ['2019-04', '2020-04-29', 365, 'possible'],
  ['2019-04', '2020-04-30', 365, null],
  ['2019-04-30', '2020-04', 365, 'possible'],
  ['2019-04-01', '2020-03', 365, 'certain'],
  ['2019-03-31', '2020-03', 365, 'possible'],
  ['2019-03-02', '2020-03', 365, 'possible'],
  ['2019-03-01', '2020-03', 365, null],
  // Two months.
  ['2020-04', '2020-06', 365, 'certain'],
  ['2019-04', '2020-03', 365, 'certain'],
  ['2019-03', '2020-03', 365, 'possible'],
  ['2019-04', '2020-04', 365, 'possible'],
  ['2019-04', '2020-05', 365, null],
  // A year and a day.
  ['2019', '2019-12-31', 365, 'certain'],
  ['2019', '2020-01-01', 365, 'certain'],
  ['2019', '2020-01-02', 365, 'possible'],
  ['2019', '2020-12-30', 365, 'possible'],
  ['2019', '2020-12-31', 365, null],
  ['2019-01-01', '2020', 365, 'possible'],
  ['2019-01-02', '2020', 365, 'possible'],
  ['2018-12-31', '2019', 365, 'certain'],
  ['2018-01-01', '2019', 365, 'possible'],
  ['2017-12-31', '2019', 365, null],
  // Years: the same year is certain within 365 days, possible within fewer.
  ['2019', '2019', 365, 'certain'],
  ['2019', '2019', 363, 'possible'],
  ['2019', '2020', 365, 'possible'],
  ['2018', '2020', 365, null],
  ['2014', '2015-03', 365, 'possible'],
  ['2014', '2014-10', 365, 'certain'],
];
