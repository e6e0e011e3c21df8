import { describe, expect, it } from 'vitest';
import type { IncidentOutline } from '../../src/incidents/incident-view.js';
import { parsePartialDate, periodEnd } from '../../src/incidents/partial-date.js';
import { victimVerdict } from '../../src/incidents/victim-verdict.js';
import { repeatLine } from '../../src/presentation/incident-blocks.js';

let id = 0;
/** An incident's outline: what the verdict reads. */
function incident(start: string, vendor: string | null = null): IncidentOutline {
  const started = parsePartialDate(start)!;
  id += 1;
  return { id, reference: `INC-${start.slice(0, 4)}-${String(id).padStart(4, '0')}`, revision: 1, started, startedUntil: periodEnd(started), ended: null, vendor, techniques: [], threatActors: [] };
}

describe('a victim\'s repeat status in a lookup', () => {
  it('GIVEN one incident, or two more than the window apart THEN none', () => {
    expect(victimVerdict([incident('2019-08-27')], 365)).toBeNull();
    expect(victimVerdict([incident('2021-01-10'), incident('2019-08-27')], 365)).toBeNull();
  });

  it('GIVEN two within the window through one vendor THEN a repeat victim, oldest first, the gap in words, the vendor named', () => {
    const [earlier, later] = [incident('2019-08-27', 'Click2Gov'), incident('2020-04', 'click2gov')];
    const verdict = victimVerdict([later, earlier], 365)!;
    expect(verdict).toMatchObject({ certainty: 'certain', daysApart: 218 });
    expect(verdict.incidents).toEqual([earlier, later]);
    expect(repeatLine(verdict)).toBe(`Repeat victim — 2 incidents within 365 days (${earlier.reference} → ${later.reference}, 7 months apart), both through Click2Gov`);
  });

  it('GIVEN three in the window THEN all three, "all through"; a short gap in days or weeks', () => {
    const chain = [incident('2022-01-03', 'MOVEit'), incident('2022-01-10', 'MOVEit'), incident('2022-02-20', 'MOVEit')];
    const verdict = victimVerdict(chain, 365)!;
    expect(verdict.incidents.map((i) => i.reference)).toEqual(chain.map((i) => i.reference));
    expect(repeatLine(verdict)).toMatch(/^Repeat victim — 3 incidents within 365 days \(.* → .* → .*, 7 weeks apart\), all through MOVEit$/);
    expect(repeatLine(victimVerdict(chain.slice(0, 2), 365)!)).toContain(', 7 days apart)');
  });

  it('GIVEN only partial dates putting them within the window THEN a possible repeat victim, saying why; a certain pair elsewhere comes first', () => {
    const possible = victimVerdict([incident('2023'), incident('2022')], 365)!;
    expect(possible.certainty).toBe('possible');
    expect(repeatLine(possible)).toMatch(/^Possible repeat victim — 2 incidents that may lie within 365 days \(INC-2022-\d+ → INC-2023-\d+, dates known only to the year\)$/);
    const certainOlder = [incident('2024'), incident('2023-06-01'), incident('2023-03-01')];
    // 2023-03 and 2023-06 surely; 2024 only perhaps: the certain pair is named, not the year-only one.
    const certain = victimVerdict(certainOlder, 365)!;
    expect(certain).toMatchObject({ certainty: 'certain', daysApart: 92 });
    expect(certain.incidents.map((i) => i.started.on)).toEqual(['2023-03-01', '2023-06-01']);
  });

  it('GIVEN the window exactly at its edge THEN 365 days is within, 366 not', () => {
    expect(victimVerdict([incident('2021-01-01'), incident('2020-01-02')], 365)?.certainty).toBe('certain');
    expect(victimVerdict([incident('2021-01-02'), incident('2020-01-01')], 365)).toBeNull();
  });
});
