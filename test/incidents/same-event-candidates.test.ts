import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/incident-view.js';
import { periodEnd } from '../../src/incidents/partial-date.js';
import { SAME_EVENT_THRESHOLD, sameEvent } from '../../src/incidents/same-event.js';
import { factsOf, sameEventCandidates } from '../../src/incidents/same-event-match.js';
import { parseSubmission } from '../../src/incidents/submission.js';
import type { IncidentSubmissionInput } from '../../src/incidents/submission.js';
import { paperReport } from '../support/submissions.js';

// Which of a victim's incidents, already read (nearby-incidents.ts), a new report may
// describe again: near its dates, and alike enough. The same story shifted in time still
// scores above the threshold, so each edge below is the horizon's, not the evidence's.
const VICTIM = 'Odessa Water Utilities';
const PORTAL = 'https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf';
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const report = (more: Partial<IncidentSubmissionInput> = {}) => parseSubmission(paperReport(VICTIM, more));

let nextId = 1;
/** The story of paperReport stored as an incident, its dates moved by `days`. */
function storedStory(days: number, more: Partial<Incident> = {}): Incident {
  const s = report({ startDate: shift('2024-03-10', days), endDate: shift('2024-03-20', days), vendor: 'Click2Gov', vector: 'Web application: SQLi' });
  const id = nextId++;
  return {
    id, reference: `INC-${s.startDate.on.slice(0, 4)}-${String(id).padStart(4, '0')}`, victimId: 1,
    started: s.startDate, startedUntil: periodEnd(s.startDate), ended: s.endDate ?? null, discovered: null, disclosed: null,
    title: '', summary: s.summary, description: null, vendor: s.vendor ?? null, vector: s.vector ?? null, impact: [], motives: [], techniques: [], threatActors: [],
    recordsAffected: s.recordsAffected ?? null, sources: s.sources,
    reportedBy: { platform: 'cli', workspace: null, user: 'test-analyst', userId: null }, reportedAt: new Date('2024-04-01T00:00:00Z'),
    tlp: 'clear', revision: 1, retractedAt: null, externalId: null, mergedInto: null, reports: [], ...more,
  };
}
const references = (s: ReturnType<typeof report>, nearby: Incident[]) => sameEventCandidates(s, nearby, VICTIM).map((c) => c.incident.reference);

describe('the incidents a report may describe again, among those read', () => {
  it('GIVEN the same story two years after the report\'s end, or its start two years before THEN a candidate; a day further THEN not, alike as it is', () => {
    const s = report();
    // 2024-03-20 is the report's end: 730 days later is 2026-03-20, the story's start.
    const [after, tooLate] = [storedStory(740), storedStory(741)];
    // The story's start 2022-03-11, 730 days before 2024-03-10; its end does not count.
    const [before, tooEarly] = [storedStory(-730), storedStory(-731)];
    for (const far of [tooLate, tooEarly]) expect(sameEvent(factsOf(s), far, VICTIM).score).toBeGreaterThanOrEqual(SAME_EVENT_THRESHOLD);
    expect(references(s, [after, tooLate, before, tooEarly]).sort()).toEqual([after.reference, before.reference].sort());
  });

  it('GIVEN a breach register\'s copy THEN five years back, and still two forward', () => {
    // Its own source is the register's: alike by the records, the account, the vendor and the vector.
    const s = report({ sources: [PORTAL], vendor: 'Click2Gov', vector: 'Web application: SQLi' });
    const [back, tooEarly, forward, tooLate] = [storedStory(-1825), storedStory(-1826), storedStory(740), storedStory(741)];
    for (const far of [tooEarly, tooLate]) expect(sameEvent(factsOf(s), far, VICTIM).score).toBeGreaterThanOrEqual(SAME_EVENT_THRESHOLD);
    expect(references(s, [back, tooEarly, forward, tooLate]).sort()).toEqual([back.reference, forward.reference].sort());
  });

  it('GIVEN a joined report or a report of a far incident THEN neither is a candidate itself; the incident is judged by its closest report', () => {
    const s = report();
    const unlike = storedStory(0, { summary: 'An unrelated ransomware outage.', recordsAffected: 12, sources: ['https://other.example/ransomware'], ended: null });
    const itsReport = storedStory(0, { mergedInto: unlike.id });
    const far = storedStory(900);
    const farReport = storedStory(0, { mergedInto: far.id });
    expect(sameEvent(factsOf(s), unlike, VICTIM).score).toBeLessThan(SAME_EVENT_THRESHOLD);
    const candidates = sameEventCandidates(s, [unlike, itsReport, far, farReport], VICTIM);
    expect(candidates.map((c) => c.incident.reference)).toEqual([unlike.reference]);
    expect(candidates[0]!.judgement).toEqual(sameEvent(factsOf(s), itsReport, VICTIM));
  });

  it('GIVEN two candidates THEN the closer first; alike THEN the earlier stored first', () => {
    const s = report();
    const [shifted, same, sameAgain] = [storedStory(400), storedStory(0), storedStory(0)];
    expect(references(s, [sameAgain, shifted, same])).toEqual([same.reference, sameAgain.reference, shifted.reference]);
  });
});
