import { describe, expect, it } from 'vitest';
import { EVIDENCE, daysApart, evidenceOf, textSimilarity } from '../../src/incidents/event-evidence.js';
import type { EventFacts, EvidenceKind } from '../../src/incidents/event-evidence.js';
import { parsePartialDate } from '../../src/incidents/partial-date.js';
import { SAME_EVENT_THRESHOLD, WEIGHTS, sameEvent, weigh } from '../../src/incidents/same-event.js';

type Facts = Partial<Omit<EventFacts, 'started' | 'ended'>> & { start?: string; end?: string };

/** A report of a breach; a bare one, so each test adds only the evidence it is about. */
function report({ start = '2020-04-15', end, ...more }: Facts = {}): EventFacts {
  return {
    started: parsePartialDate(start)!, ended: end ? parsePartialDate(end) : null, discovered: null, disclosed: null,
    title: '', summary: 'Breach.', description: null, vendor: null, vector: null, techniques: [], threatActors: [], recordsAffected: null, sources: [],
    ...more,
  };
}
const kinds = (a: EventFacts, b: EventFacts, victim = '') => Object.keys(evidenceOf(a, b, victim).present).sort();
const present = (a: EventFacts, b: EventFacts, kind: EvidenceKind) => evidenceOf(a, b).present[kind];
const reason = (a: EventFacts, b: EventFacts, kind: EvidenceKind) => evidenceOf(a, b).reasons[kind];

describe('dates', () => {
  it.each([
    // [first, second, days apart, the date evidence]
    [{ start: '2020-04-15' }, { start: '2020-04-15' }, 0, 'datesOverlap'],
    [{ start: '2020-04' }, { start: '2020-04-20' }, 0, 'datesOverlap'],
    [{ start: '2020-04-01', end: '2020-06' }, { start: '2020-06-30' }, 0, 'datesOverlap'],
    [{ start: '2020' }, { start: '2020-06-30' }, 0, 'datesSameYear'],
    [{ start: '2020-04-15' }, { start: '2020' }, 0, 'datesSameYear'],
    [{ start: '2020-04-15' }, { start: '2020-05-16' }, 31, 'datesNear'],
    [{ start: '2020-04-15' }, { start: '2020-05-17' }, 32, 'datesApart'],
    [{ start: '2020-04-01', end: '2020-06' }, { start: '2020-07-01' }, 1, 'datesNear'],
    [{ start: '2020-07-01' }, { start: '2020-04-01', end: '2020-06' }, 1, 'datesNear'],
    // A year's end is known only to the year: near is no closer than apart.
    [{ start: '2019' }, { start: '2020-01-10' }, 10, 'datesApart'],
    [{ start: '2020-01-10' }, { start: '2019' }, 10, 'datesApart'],
    [{ start: '2019-04-15' }, { start: '2020-04-14' }, 365, 'datesApart'],
    [{ start: '2019-04-15' }, { start: '2020-04-15' }, 366, 'datesFar'],
    // An end given only to the year still ends with its year; an end earlier than the start's period changes nothing.
    [{ start: '2019', end: '2019-03' }, { start: '2020-01-01' }, 1, 'datesApart'],
    [{ start: '2019-03-01', end: '2019' }, { start: '2020-01-01' }, 1, 'datesNear'],
  ] as const)('GIVEN %o and %o THEN %i days apart: %s', (a, b, gap, kind) => {
    expect(daysApart(report(a), report(b))).toBe(gap);
    expect(kinds(report(a), report(b)).filter((k) => k.startsWith('dates'))).toEqual([kind]);
  });

  it('GIVEN dates near and overlapping THEN the reasons say so', () => {
    expect(reason(report({ start: '2020-04-15' }), report({ start: '2020-04-20' }), 'datesNear')).toBe('dates 5 days apart');
    expect(reason(report({ start: '2020-04' }), report({ start: '2020-04-20' }), 'datesOverlap')).toBe('dates overlap');
    expect(reason(report({ start: '2020' }), report({ start: '2020-04-20' }), 'datesSameYear')).toBe('same year');
  });
});

describe('records affected', () => {
  it.each([
    [1607, 1607, 'sameRecords'],
    [1000, 1100, 'nearRecords'],
    [1100, 1000, 'nearRecords'],
    // Round estimates up to half again apart are one count told twice; exact ones are two counts.
    [1000, 1101, null],
    [3000, 3397, null],
    [1000, 1500, null],
    [1000, 1250, null],
    [990, 1250, 'otherRecords'],
    [900, 1250, 'otherRecords'],
    [16, 22, 'otherRecords'],
    [1000, 1600, 'otherRecords'],
    [100, 300, 'otherRecords'],
    [100, 301, 'veryOtherRecords'],
    [60_000, 250_000, 'veryOtherRecords'],
    [2, 200, 'veryOtherRecords'],
    [0, 200, null],
    [200, 0, null],
    [null, 200, null],
  ] as const)('GIVEN %j and %j THEN %s', (a, b, kind) => {
    const found = kinds(report({ recordsAffected: a }), report({ recordsAffected: b })).filter((k) => k.endsWith('Records'));
    expect(found).toEqual(kind ? [kind] : []);
  });

  it('GIVEN the same or close counts THEN the reasons give them', () => {
    expect(reason(report({ recordsAffected: 1607 }), report({ recordsAffected: 1607 }), 'sameRecords')).toBe('same records affected (1,607)');
    expect(reason(report({ recordsAffected: 48_213 }), report({ recordsAffected: 50_000 }), 'nearRecords')).toBe('records affected close (48,213 / 50,000)');
  });
});

describe('figures, sources and accounts', () => {
  it.each([
    ['1,607 patients were told.', 'Letters went to 1,607 patients.', 1607],
    ['The 100 records.', 'About 100 files.', 100],
    ['Lost 1899 files.', 'Some 1899 files.', 1899],
    ['Lost 2101 files.', 'Some 2101 files.', 2101],
    ['Filed 1,000,000 claims.', 'All 1,000,000 claims.', 1_000_000],
    ['Filed 12,345 claims.', 'All 12,345 claims.', 12_345],
  ])('GIVEN %j and %j THEN the same figure, %i', (a, b, figure) => {
    expect(reason(report({ summary: a }), report({ summary: b }), 'sharedNumber')).toBe(`same figure (${figure.toLocaleString('en-US')})`);
  });

  it.each([
    ['In 2019 it happened.', 'It was 2019.'],
    ['In 1900 it happened.', 'It was 1900.'],
    ['In 2100 it happened.', 'It was 2100.'],
    ['Some 99 files.', 'Lost 99 files.'],
    ['Some 1,607 files.', 'Lost 1,608 files.'],
    // Three digits with a leading zero are a number under 100.
    ['Case 099 was opened.', 'Case 099 was closed.'],
  ])('GIVEN %j and %j THEN no shared figure', (a, b) => {
    expect(present(report({ summary: a }), report({ summary: b }), 'sharedNumber')).toBeUndefined();
  });

  it('GIVEN a count on one side and the figure in the other\'s text THEN the same figure; GIVEN the same count on both THEN same records instead', () => {
    expect(present(report({ recordsAffected: 500 }), report({ summary: 'It hit 500 customers.' }), 'sharedNumber')).toBe(1);
    expect(present(report({ summary: 'It hit 500 customers.' }), report({ recordsAffected: 500 }), 'sharedNumber')).toBe(1);
    expect(present(report({ recordsAffected: 99 }), report({ summary: 'It hit 99 customers.' }), 'sharedNumber')).toBeUndefined();
    expect(present(report({ recordsAffected: 100 }), report({ summary: 'It hit 100 customers.' }), 'sharedNumber')).toBe(1);
    expect(kinds(report({ recordsAffected: 500, summary: '500 customers' }), report({ recordsAffected: 500 }))).not.toContain('sharedNumber');
  });

  it('GIVEN one source in common THEN a shared source; none THEN not', () => {
    const a = report({ sources: ['https://a.example/1', 'https://b.example/2'] });
    expect(reason(a, report({ sources: ['https://b.example/2'] }), 'sharedSource')).toBe('a shared source');
    expect(present(a, report({ sources: ['https://c.example/3'] }), 'sharedSource')).toBeUndefined();
  });

  const skimming = 'Card data of utility payments skimmed from the Click2Gov portal by attackers';
  const skimmingAgain = 'Attackers skimmed card data from the Click2Gov utility payments portal';
  it('GIVEN two accounts in the same words THEN similar, at full strength; months apart THEN the weaker kind', () => {
    expect(textSimilarity(skimming, skimmingAgain)).toBe(1);
    expect(evidenceOf(report({ summary: skimming }), report({ summary: skimmingAgain }))).toMatchObject({
      present: { textAlike: 1 }, reasons: { textAlike: 'similar account (100% of words shared)' },
    });
    expect(kinds(report({ summary: skimming }), report({ start: '2020-05-16', summary: skimmingAgain }))).toContain('textAlike');
    expect(kinds(report({ summary: skimming }), report({ start: '2020-05-17', summary: skimmingAgain }))).toEqual(expect.arrayContaining(['textAlikeApart']));
    expect(kinds(report({ summary: skimming }), report({ start: '2020-05-17', summary: skimmingAgain }))).not.toContain('textAlike');
  });

  it.each([
    // [first, second, similarity]: distinctive words shared over the root of the product of their counts.
    ['ransomware encrypted billing servers', 'ransomware encrypted billing servers', 1],
    ['ransomware encrypted billing servers', 'ransomware encrypted payroll laptops', 0.5],
    ['ransomware encrypted billing servers', 'phishing emails harvested passwords', 0],
    // Words every breach story uses, and short words, do not count: fewer than three left is no account.
    ['the data breach affected customers', 'the data breach affected customers', 0],
    ['ransomware hit it', 'ransomware hit it', 0],
    ["Oregon's ransomware encrypted servers", 'oregon ransomware encrypted servers', 1],
    ['ransomware encrypted payroll', 'ransomware encrypted payroll', 1],
    ['ransomware payroll', 'ransomware payroll billing servers encrypted laptops', 0],
    // Only a final possessive goes: "children's-hospital" inside a word is not "children-hospital".
    ["children's-hospital ransomware encrypted servers", 'children-hospital ransomware encrypted servers', 0.75],
  ])('GIVEN %j and %j THEN a similarity of %d', (a, b, similarity) => {
    expect(textSimilarity(a, b)).toBeCloseTo(similarity, 5);
  });

  it('GIVEN the account split over title, summary and description THEN all of it is compared, word by word', () => {
    const split = report({ title: 'Ransomware', summary: 'encrypted', description: 'billing servers' });
    expect(present(split, report({ summary: 'Ransomware encrypted billing servers' }), 'textAlike')).toBe(1);
  });

  it('GIVEN one shared word in ten THEN not alike, and no follow-up on that alone', () => {
    const a = report({ summary: 'sentenced bravo charlie delta echo foxtrot golf hotel india juliet' });
    const b = report({ summary: 'sentenced kilo lima mike november oscar papa quebec romeo sierra' });
    expect(textSimilarity(a.summary, b.summary)).toBeCloseTo(0.1, 10);
    expect(kinds(a, b)).toEqual(['datesOverlap']);
  });

  it('GIVEN evidence against THEN no reason is given for it', () => {
    expect(evidenceOf(report({ recordsAffected: 16 }), report({ start: '2021-06-01', recordsAffected: 22 })).reasons).toEqual({});
  });

  it('GIVEN accounts alike only by the victim\'s name THEN not alike', () => {
    const a = report({ summary: 'Pineport Water District billing portal ransomware' });
    const b = report({ summary: 'Pineport Water District payroll laptop stolen' });
    expect(kinds(a, b)).toContain('textAlike');
    expect(kinds(a, b, 'Pineport Water District')).not.toContain('textAlike');
  });

  it('GIVEN a partial likeness THEN evidence in proportion, full from 40% of words shared', () => {
    const strength = present(report({ summary: 'ransomware encrypted billing servers' }), report({ summary: 'ransomware encrypted payroll laptops' }), 'textAlike');
    expect(strength).toBeCloseTo(1, 5);
    const weak = present(report({ summary: 'ransomware encrypted billing servers payroll laptops printers' }), report({ summary: 'ransomware mailed notices residents tuesday morning harbor' }), 'textAlike');
    expect(weak).toBeCloseTo((1 / 7) / 0.4, 5);
  });

  it.each([
    ['Denial of service attack', 'A long account of ransomware that encrypted billing servers and payroll laptops', true],
    ['ransomware encrypted billing servers payroll', 'A long account of ransomware that encrypted billing servers and payroll laptops', false],
    ['ransomware encrypted billing servers', 'A long account of ransomware that encrypted billing servers and payroll laptops', false],
  ])('GIVEN %j beside a longer account THEN terse: %s', (a, b, terse) => {
    expect(present(report({ summary: a }), report({ summary: b }), 'terseAccount') === 1).toBe(terse);
    expect(present(report({ summary: b }), report({ summary: a }), 'terseAccount') === 1).toBe(terse);
  });
});

describe('vector, vendor and actor', () => {
  it.each([
    ['hacking: SQLi via Web application', 'hacking: SQLi, Brute force', 'sameVector', 'same vector (hacking: sqli)'],
    ['physical: Theft via Victim work area; error: Loss', 'error: Loss', 'sameVector', 'same vector (error: loss)'],
    ['hacking: Unknown', 'hacking', 'sameVector', 'same vector (hacking)'],
    ['error: Loss', 'error: Disposal error', 'otherVariety', undefined],
    ['physical: Theft; error: Loss', 'error: Disposal error', 'otherVariety', undefined],
    ['error: Loss', 'error: Disposal error; hacking: SQLi', 'otherVariety', undefined],
    ['malware: Ransomware', 'misuse: Privilege abuse', 'otherVector', undefined],
    ['hacking: SQLi, Brute force', 'hacking: Brute force', 'sameVector', 'same vector (hacking: brute force)'],
    ['physical: Theft', 'error: Misdelivery', 'otherVector', undefined],
    ['hacking: SQLi', null, null, undefined],
    [null, 'hacking: SQLi', null, undefined],
    ['; : ', 'hacking: SQLi', null, undefined],
  ] as const)('GIVEN %j and %j THEN %s', (a, b, kind, why) => {
    const found = kinds(report({ vector: a }), report({ vector: b })).filter((k) => ['sameVector', 'otherVariety', 'otherVector'].includes(k));
    expect(found).toEqual(kind ? [kind] : []);
    if (kind) expect(reason(report({ vector: a }), report({ vector: b }), kind)).toBe(why);
  });

  it('GIVEN a vendor and an actor named in other cases THEN the same, as the first spells them', () => {
    const a = report({ vendor: 'Click2Gov', threatActors: ['Magecart', 'FIN7'] });
    const b = report({ vendor: 'CLICK2GOV', threatActors: ['fin7'] });
    expect(evidenceOf(a, b).reasons).toMatchObject({ sharedVendor: 'same vendor (Click2Gov)', sharedActor: 'same threat actor (FIN7)' });
    expect(kinds(a, report({ vendor: 'Tyler Technologies', threatActors: ['APT28'] }))).not.toEqual(expect.arrayContaining(['sharedVendor']));
    expect(kinds(a, report({ vendor: 'Tyler Technologies', threatActors: ['APT28'] }))).not.toEqual(expect.arrayContaining(['sharedActor']));
    expect(kinds(a, report())).toEqual(['datesOverlap', 'terseAccount']);
  });
});

describe('follow-ups, further events and breach registers', () => {
  const first = 'Ransomware encrypted billing servers at the water district';
  it.each(['sentenced', 'sentencing', 'pleaded', 'pled', 'guilty', 'convicted', 'indicted', 'indictment', 'charged', 'arrested', 'arrest',
    'settle', 'settled', 'settlement', 'fined', 'lawsuit', 'sued', 'class action', 'jail', 'prison'])('GIVEN a story with "%s" whose account meets the first THEN a follow-up', (word) => {
    const later = report({ start: '2021-02-01', summary: `Ransomware encrypted billing servers at the water district: ${word}` });
    expect(reason(report({ summary: first }), later, 'followUp')).toBe('a follow-up story (arrest, plea, sentence, fine or suit)');
    expect(present(later, report({ summary: first }), 'followUp')).toBe(1);
  });

  it('GIVEN a sentencing story that meets the first only by a figure THEN a follow-up; by nothing THEN not', () => {
    expect(present(report({ summary: 'It hit 1,607 patients.' }), report({ start: '2021-02-01', summary: 'A nurse was sentenced over 1,607 patients.' }), 'followUp')).toBe(1);
    expect(present(report({ summary: first }), report({ start: '2021-02-01', summary: 'A nurse was sentenced for phishing payroll' }), 'followUp')).toBeUndefined();
    // A word that only contains one is none: "resettled", "prisoners'" are not.
    expect(present(report({ summary: first }), report({ summary: `${first} resettled` }), 'followUp')).toBeUndefined();
    expect(present(report({ summary: first }), report({ summary: first }), 'followUp')).toBeUndefined();
  });

  it.each(['hacked again', 'breached once more', 'rehacked', 're-hacked', 'a second breach', 'another ransomware attack', 'a third incident',
    'a separate breach', 'additional breaches', 'the previous hack', 'an earlier intrusion', 'two incidents', 'another leak', 'several instances', 'two losses'])(
    'GIVEN "%s" in either account THEN another event is meant', (words) => {
      expect(present(report({ summary: `The city was ${words}.` }), report(), 'anotherEvent')).toBe(1);
      expect(present(report(), report({ summary: `The city was ${words}.` }), 'anotherEvent')).toBe(1);
    },
  );

  it.each(['against', 'a second look', 'Bagain', 'the twofold breach'])('GIVEN "%s" THEN no other event', (words) => {
    expect(present(report({ summary: `The city was hit; ${words}.` }), report(), 'anotherEvent')).toBeUndefined();
  });

  const news = ['https://news.example.org/pineport-water'];
  it.each([
    ['https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf'],
    ['http://www.hhs.gov/ocr/privacy/hipaa/administrative/breachnotificationrule/breachtool.html'],
    ['https://www.privacyrights.org/data-breach/new'],
    ['https://datalossdb.org/incidents/1234'],
    ['https://example.org/breach-tool/export'],
    ['https://example.org/BreachTool'],
  ])('GIVEN one report only from a breach register (%s) THEN a register copy, dated when filed', (source) => {
    const register = report({ start: '2020-09-01', sources: [source] });
    expect(evidenceOf(report({ sources: news }), register).reasons).toMatchObject({
      registerCopy: 'one is a breach register\'s entry', registerCopyApart: 'a register\'s entry, dated when it was filed',
    });
  });

  it.each([
    ['both registers', ['https://ocrportal.hhs.gov/ocr/breach'], ['https://www.privacyrights.org/x'], []],
    ['a register and a paper in one report', ['https://ocrportal.hhs.gov/ocr/breach', ...news], news, []],
    ['no source at all', [], news, []],
    ['a look-alike host', ['https://ocrportal.hhs.gov.example.net/x'], news, []],
    ['a longer host', ['https://privacyrights.organisation.example/x'], news, []],
    ['a register by path only', ['https://news.example.org/privacyrights.org'], news, []],
    ['a register quoted in a link', ['https://news.example.org/?u=https://privacyrights.org/x'], news, []],
    ['a register over http', ['http://www.privacyrights.org/data-breach'], news, ['registerCopy', 'registerCopyApart']],
    ['the same day', ['https://ocrportal.hhs.gov/ocr/breach'], news, ['registerCopy']],
  ] as const)('GIVEN %s THEN %o', (_, a, b, expected) => {
    const start = _ === 'the same day' ? '2020-04-15' : '2020-09-01';
    expect(kinds(report({ start, sources: [...a] }), report({ sources: [...b] })).filter((k) => k.startsWith('register'))).toEqual(expected);
  });

  it('GIVEN a register copy more than a year after the event THEN no longer dated when filed', () => {
    const late = report({ start: '2021-04-16', sources: ['https://ocrportal.hhs.gov/ocr/breach'] });
    expect(kinds(report({ sources: news }), late).filter((k) => k.startsWith('register'))).toEqual(['registerCopy']);
    const edge = report({ start: '2021-04-15', sources: ['https://ocrportal.hhs.gov/ocr/breach'] });
    expect(kinds(report({ sources: news }), edge).filter((k) => k.startsWith('register'))).toEqual(['registerCopy', 'registerCopyApart']);
  });
});

describe('weighing the evidence', () => {
  it('GIVEN every kind of evidence THEN it has a weight', () => {
    expect(Object.keys(WEIGHTS).sort()).toEqual([...EVIDENCE].sort());
  });

  it('GIVEN weighed evidence THEN the sum, rounded to cents, with the reasons of what counts for one event only', () => {
    const judgement = weigh({
      present: { datesOverlap: 1, sameRecords: 1, textAlike: 0.5, otherVector: 1, registerCopy: 1 },
      reasons: { datesOverlap: 'dates overlap', sameRecords: 'same records affected (1,607)', textAlike: 'similar account (20% of words shared)', otherVector: 'never shown', registerCopy: 'one is a breach register\'s entry' },
    });
    expect(judgement).toEqual({ score: 1.25 + 2.75 + 1.5 - 3 + 0, reasons: ['dates overlap', 'same records affected (1,607)', 'similar account (20% of words shared)'] });
    expect(weigh({ present: { textAlike: 1 / 3 }, reasons: {} }).score).toBe(1);
    expect(weigh({ present: { datesNear: 1 }, reasons: {} })).toEqual({ score: 0.5, reasons: [] });
  });

  it.each([
    ['datesOverlap', 1], ['datesSameYear', 1], ['datesNear', 1], ['datesApart', -1], ['datesFar', -1],
    ['sameRecords', 1], ['nearRecords', 1], ['otherRecords', -1], ['veryOtherRecords', -1], ['sharedNumber', 1],
    ['sharedSource', 1], ['textAlike', 1], ['textAlikeApart', 1], ['terseAccount', 0],
    ['sameVector', 1], ['otherVariety', -1], ['otherVector', -1], ['sharedVendor', 1], ['sharedActor', 1],
    ['followUp', 1], ['anotherEvent', -1], ['registerCopy', 0], ['registerCopyApart', 1],
  ] as const)('GIVEN %s alone THEN it counts %i towards one event', (kind, sign) => {
    expect(Math.sign(weigh({ present: { [kind]: 1 }, reasons: {} }).score)).toBe(sign);
  });

  it('GIVEN other weights THEN they are used', () => {
    const weights = { ...WEIGHTS, sharedSource: 7 };
    expect(weigh({ present: { sharedSource: 1 }, reasons: { sharedSource: 'a shared source' } }, weights)).toEqual({ score: 7, reasons: ['a shared source'] });
  });

  it('GIVEN a second article on the Click2Gov skimming THEN one event; GIVEN another breach months later THEN two', () => {
    const first = report({ summary: 'Card data of utility payments skimmed from the Click2Gov portal by attackers', recordsAffected: 1607, vendor: 'Click2Gov', sources: ['https://a.example/odessa'] });
    const second = report({ start: '2020-04-20', summary: 'Attackers skimmed card data from the Click2Gov utility payments portal', recordsAffected: 1607 });
    const judgement = sameEvent(first, second, 'City of Odessa');
    expect(judgement.score).toBeGreaterThanOrEqual(SAME_EVENT_THRESHOLD);
    expect(judgement.reasons).toEqual(['dates 5 days apart', 'same records affected (1,607)', 'similar account (100% of words shared)']);
    const another = report({ start: '2020-11-02', summary: 'The city was hit again: ransomware encrypted its payroll servers', recordsAffected: 60, vector: 'malware: Ransomware' });
    expect(sameEvent(first, another, 'City of Odessa').score).toBeLessThan(SAME_EVENT_THRESHOLD);
    expect(sameEvent(first, second, 'City of Odessa', { ...WEIGHTS, sameRecords: 0, textAlike: 0 }).score).toBe(0.5);
  });
});
