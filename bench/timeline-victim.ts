import type { Incident } from '../src/incidents/incident-view.js';

/**
 * A victim's incidents for the timeline's bench row: `n` of them over the years, one in
 * four known only to the month, one in eight only to the year, most through one vendor,
 * so the picture has partial spans, repeat shading and lanes to lay out.
 */
export function benchTimelineIncidents(n: number, salt: number): Incident[] {
  return Array.from({ length: n }, (_, k) => {
    const year = 2000 + Math.floor((k * 3) / 5);
    const month = ((k * 7 + salt) % 12) + 1;
    const mm = String(month).padStart(2, '0');
    const precision = k % 8 === 0 ? 'year' : k % 4 === 0 ? 'month' : 'day';
    const on = precision === 'year' ? `${year}-01-01` : precision === 'month' ? `${year}-${mm}-01` : `${year}-${mm}-${String((k % 27) + 1).padStart(2, '0')}`;
    const until = precision === 'year' ? `${year}-12-31` : precision === 'month' ? `${year}-${mm}-28` : on;
    return {
      id: k + 1, reference: `INC-${year}-${String(k + 1).padStart(4, '0')}`, started: { on, precision }, startedUntil: until,
      ended: precision === 'day' ? { on: `${year}-${mm}-28`, precision: 'day' } : null,
      vendor: k % 3 === 0 ? null : 'Click2Gov', techniques: ['T1190'], revision: 1 + salt,
    } as unknown as Incident;
  });
}
