import { describe, expect, it } from 'vitest';
import { evidenceOf, isRegisterCopy } from '../../src/incidents/event-evidence.js';
import type { EventFacts } from '../../src/incidents/event-evidence.js';
import { parsePartialDate } from '../../src/incidents/partial-date.js';

const PORTAL = 'https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf';

/** One filing with the breach portal: a month (the submission's), a count, a vendor. */
function filing(recordsAffected: number, vendor: string | null, start = '2014-02'): EventFacts {
  return {
    started: parsePartialDate(start)!, ended: null, discovered: null, disclosed: null, title: '',
    summary: 'Unauthorized Access/Disclosure (Network Server)', description: null, vendor, vector: 'Network Server: Unauthorized Access/Disclosure',
    techniques: [], threatActors: [], recordsAffected, sources: [PORTAL],
  };
}
const countEvidence = (a: EventFacts, b: EventFacts, victim: string) =>
  Object.keys(evidenceOf(a, b, victim).present).filter((k) => k.endsWith('Records')).sort();

describe('a vendor filing its own breach once per client', () => {
  it.each([
    // [vendor of each filing, victim, the count evidence for 10,024 against 520 people]
    ['StayWell Health Management, LLC', 'StayWell Health Management, LLC', 'StayWell Health Management, LLC', []],
    ['staywell health management, llc', 'StayWell Health Management, LLC', 'StayWell Health Management, LLC', []],
    // A covered entity's two filings naming one vendor are that entity's counts: they differ.
    ['StayWell Health Management, LLC', 'StayWell Health Management, LLC', 'Clorox Company Group Insurance Plan', ['veryOtherRecords']],
    // Only one of the two filed by the vendor: the counts still tell two events apart.
    ['StayWell Health Management, LLC', null, 'StayWell Health Management, LLC', ['veryOtherRecords']],
    [null, 'StayWell Health Management, LLC', 'StayWell Health Management, LLC', ['veryOtherRecords']],
    [null, null, 'StayWell Health Management, LLC', ['veryOtherRecords']],
  ] as const)('GIVEN vendors %s / %s, victim %s THEN %o', (va, vb, victim, kinds) => {
    expect(countEvidence(filing(10_024, va), filing(520, vb), victim)).toEqual(kinds);
  });

  it('GIVEN the vendor\'s two filings of one count THEN that count still speaks for one event', () => {
    const vendor = 'Futurity First Insurance Group';
    expect(countEvidence(filing(1631, vendor), filing(1631, vendor), vendor)).toEqual(['sameRecords']);
  });

  it('GIVEN no victim name THEN no filing is the vendor\'s own', () => {
    expect(countEvidence(filing(10_024, ''), filing(520, ''), '')).toEqual(['veryOtherRecords']);
  });
});

describe('a breach register\'s entry', () => {
  it.each([
    [[PORTAL], true],
    [['https://www.privacyrights.org/data-breaches/123'], true],
    [[PORTAL, 'https://www.oaoa.com/news/odessa-breach'], false],
    [[], false],
    [['https://privacyrights.org.example.net/x'], false],
  ])('GIVEN sources %o THEN a register copy: %s', (sources, copy) => {
    expect(isRegisterCopy({ sources })).toBe(copy);
  });
});
