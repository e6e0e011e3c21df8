import type { Incident } from './incident-view.js';
import { daysBetween, periodEnd } from './partial-date.js';

/**
 * What two reports of an incident are compared by: an Incident's facts, or a
 * submission read the same way (same-event-match.ts `factsOf`).
 */
export type EventFacts = Pick<Incident, 'started' | 'ended' | 'discovered' | 'disclosed' | 'title' | 'summary' | 'description'
  | 'vendor' | 'vector' | 'techniques' | 'threatActors' | 'recordsAffected' | 'sources'>;

/** Each kind of evidence for or against two reports telling one event; same-event.ts weighs them. */
export const EVIDENCE = [
  'datesOverlap', 'datesSameYear', 'datesNear', 'datesApart', 'datesFar',
  'sameRecords', 'nearRecords', 'otherRecords', 'veryOtherRecords', 'sharedNumber',
  'sharedSource', 'textAlike', 'textAlikeApart', 'terseAccount',
  'sameVector', 'otherVariety', 'otherVector', 'sharedVendor', 'sharedActor',
  'followUp', 'anotherEvent', 'registerCopy', 'registerCopyApart',
] as const;
export type EvidenceKind = (typeof EVIDENCE)[number];

/** How strongly each kind is present (0 to 1, absent kinds left out), and the sentence a person reads for it. */
export interface Evidence {
  present: Partial<Record<EvidenceKind, number>>;
  reasons: Partial<Record<EvidenceKind, string>>;
}

/**
 * What two reports of one victim share and where they differ: dates at their
 * precision, counts, figures, sources, the words of the account, vector, vendor,
 * actor, the aftermath words of a follow-up story, and whether one is a breach
 * register's copy (whose date is the day it was filed, not the day it happened).
 */
export function evidenceOf(a: EventFacts, b: EventFacts, victimName = ''): Evidence {
  const evidence: Evidence = { present: {}, reasons: {} };
  const note = (kind: EvidenceKind, reason = '', strength = 1) => {
    evidence.present[kind] = strength;
    if (reason) evidence.reasons[kind] = reason;
  };

  const gap = daysApart(a, b);
  const yearOnly = a.started.precision === 'year' || b.started.precision === 'year';
  if (gap === 0) note(yearOnly ? 'datesSameYear' : 'datesOverlap', yearOnly ? 'same year' : 'dates overlap');
  else if (gap <= 31 && !yearOnly) note('datesNear', `dates ${gap} days apart`);
  else note(gap <= 365 ? 'datesApart' : 'datesFar');

  const [ra, rb] = [a.recordsAffected, b.recordsAffected];
  // A vendor that files its own breach once per client gives each client's count:
  // different counts are then different clients, not different events.
  const perClient = filedByVendor(a, victimName) && filedByVendor(b, victimName);
  if (ra !== null && rb !== null && ra > 0 && rb > 0 && !(perClient && ra !== rb)) {
    const ratio = Math.max(ra, rb) / Math.min(ra, rb);
    if (ra === rb) note('sameRecords', `same records affected (${ra.toLocaleString('en-US')})`);
    else if (ratio <= 1.1) note('nearRecords', `records affected close (${ra.toLocaleString('en-US')} / ${rb.toLocaleString('en-US')})`);
    // 3,000 in one story and 3,397 in another are one count, rounded; 16 and 22 are two.
    else if (ratio > 1.5 || !(isRound(ra) || isRound(rb))) note(ratio > 3 ? 'veryOtherRecords' : 'otherRecords');
  }

  const textA = textOf(a);
  const textB = textOf(b);
  const ignore = words(victimName);
  const numbers = sharedNumbers(a, textA, b, textB);
  if (numbers.length > 0 && !(ra !== null && ra === rb)) note('sharedNumber', `same figure (${numbers[0]!.toLocaleString('en-US')})`);

  if (a.sources.some((s) => b.sources.includes(s))) note('sharedSource', 'a shared source');

  const alike = textSimilarity(textA, textB, ignore);
  // Two breaches of one system months apart read alike: with dates apart, the account
  // counts for less (same-event.ts weighs the two kinds apart).
  if (alike > 0.1) note(gap > 31 ? 'textAlikeApart' : 'textAlike', `similar account (${Math.round(alike * 100)}% of words shared)`, Math.min(1, alike / 0.4));
  // An account of a few words ("Denial of service attack") can neither match nor differ.
  if (Math.min(words(textA, ignore).size, words(textB, ignore).size) < 4) note('terseAccount');

  const va = vectorParts(a.vector);
  const vb = vectorParts(b.vector);
  if (va.size > 0 && vb.size > 0) {
    const same = [...va].find((v) => vb.has(v));
    // Coded by different hands, one loss is "Loss" here and "Disposal error" there:
    // another kind of action altogether (theft, not an error) says more.
    if (same) note('sameVector', `same vector (${same})`);
    else note([...va].some((v) => [...vb].some((w) => categoryOf(v) === categoryOf(w))) ? 'otherVariety' : 'otherVector');
  }
  if (a.vendor && b.vendor && a.vendor.toLowerCase() === b.vendor.toLowerCase()) note('sharedVendor', `same vendor (${a.vendor})`);
  const actor = a.threatActors.find((x) => b.threatActors.some((y) => y.toLowerCase() === x.toLowerCase()));
  if (actor) note('sharedActor', `same threat actor (${actor})`);

  // A sentencing story is about some earlier event: this one, when the two accounts meet.
  if ((FOLLOW_UP.test(textA) || FOLLOW_UP.test(textB)) && (alike > 0.1 || numbers.length > 0)) note('followUp', 'a follow-up story (arrest, plea, sentence, fine or suit)');
  if (ANOTHER_EVENT.test(textA) || ANOTHER_EVENT.test(textB)) note('anotherEvent');

  // Two register entries are both dated when filed: their gap is a true one.
  if (isRegisterCopy(a) !== isRegisterCopy(b)) {
    note('registerCopy', 'one is a breach register\'s entry');
    if (gap > 0 && gap <= 365) note('registerCopyApart', 'a register\'s entry, dated when it was filed');
  }
  return evidence;
}

/** Days between the two events' date ranges (start to end or discovery); 0 when they meet. */
export function daysApart(a: EventFacts, b: EventFacts): number {
  const [sa, ea] = span(a);
  const [sb, eb] = span(b);
  if (ea < sb) return daysBetween(ea, sb);
  if (eb < sa) return daysBetween(eb, sa);
  return 0;
}

function span(e: EventFacts): [string, string] {
  const ends = [periodEnd(e.started), e.ended ? periodEnd(e.ended) : ''];
  return [e.started.on, ends.reduce((x, y) => (y > x ? y : x))];
}

/** The legal and regulatory aftermath of a breach, told later: the same event. */
const FOLLOW_UP = /\b(sentenc\w*|plead\w*|pled|guilty|convict\w*|indict\w*|charged|arrest\w*|settle\w*|settlement|fined|lawsuit|sued|class action|jail|prison)\b/i;
/** Words that say the report is of a further event. */
const ANOTHER_EVENT = /\b(again|once more|re-?hacked|(second|another|third|separate|additional|previous|earlier|two|three|several) (\w+ )?(breach|breaches|incident|incidents|attack|attacks|hack|hacks|intrusion|leak|instances|losses))\b/i;

/**
 * Breach registers list what organisations filed with a regulator, dated when it was
 * filed or published in a batch (the U.S. HHS breach portal, the Privacy Rights
 * Clearinghouse's chronology): a copy of an event told elsewhere, often months later.
 * The host must end there: "privacyrights.org.example.net" is no register.
 */
const REGISTER = /^https?:\/\/([a-z0-9-]+\.)*(ocrportal\.hhs\.gov|hhs\.gov\/ocr\/privacy\/hipaa\/administrative\/breachnotificationrule|privacyrights\.org|datalossdb\.org)(?![\w.-])/i;

/** The victim is the vendor: a vendor's own filing about its breach. */
function filedByVendor(e: EventFacts, victimName: string): boolean {
  return !!e.vendor && !!victimName && e.vendor.toLowerCase() === victimName.toLowerCase();
}

export function isRegisterCopy(e: Pick<EventFacts, 'sources'>): boolean {
  return e.sources.length > 0 && e.sources.every((s) => REGISTER.test(s) || /breach-tool|breachtool/i.test(s));
}

function textOf(e: EventFacts): string {
  return [e.title, e.summary, e.description ?? ''].join(' ');
}

// Words every breach story uses: they say nothing about which breach.
const COMMON = new Set(`a an the of and or to in on for with by at from as is was were be been being has had have that this these those it its
  their his her they he she him them which who whom after before into over about not no but are will would could should may might can also
  said says say than more most some any all one two three four five six seven eight nine ten including include includes other such there
  what when where while were we our us you your if then so out up down per via new data breach breached incident information personal
  records record people customers customer patients patient employees employee affected company organization reported report reports
  according notified notification letter letters discovered discovery access accessed unauthorized security compromised compromise
  exposed exposure potentially possibly may been being number names name addresses address dates date birth social numbers
  recorded veris without summary`.split(/\s+/));

function words(text: string, ignore: Set<string> = new Set()): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z][a-z0-9'-]{2,}/g) ?? []).map((w) => w.replace(/'s$/, '')).filter((w) => !COMMON.has(w) && !ignore.has(w)));
}

/** Share of the two accounts' distinctive words they both use (cosine of word sets). */
export function textSimilarity(a: string, b: string, ignore: Set<string> = new Set()): number {
  const [wa, wb] = [words(a, ignore), words(b, ignore)];
  const smaller = Math.min(wa.size, wb.size);
  if (smaller < 3) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared += 1;
  return shared / Math.sqrt(wa.size * wb.size);
}

/** Figures of 100 or more that both reports give (in text or as records affected): "1,607 patients". */
function sharedNumbers(a: EventFacts, textA: string, b: EventFacts, textB: string): number[] {
  const figures = (e: EventFacts, text: string) => {
    const found = new Set((text.match(/\b\d{1,3}(?:,\d{3})+\b|\b\d{3,}\b/g) ?? []).map((n) => Number(n.replace(/,/g, ''))).filter((n) => n >= 100 && !(n >= 1900 && n <= 2100)));
    if (e.recordsAffected !== null && e.recordsAffected >= 100) found.add(e.recordsAffected);
    return found;
  };
  const fb = figures(b, textB);
  return [...figures(a, textA)].filter((n) => fb.has(n));
}

/** A count as estimates give it: 3,000, 250,000, 1.2 million. */
function isRound(n: number): boolean {
  return n >= 1000 && n % 100 === 0;
}

function categoryOf(part: string): string {
  return part.split(':')[0]!;
}

/** "physical: theft via Victim work area; error: Loss" → {"physical: theft", "error: loss"}. */
function vectorParts(vector: string | null): Set<string> {
  if (!vector) return new Set();
  return new Set(vector.toLowerCase().split(';').flatMap((part) => {
    const [category, rest] = part.split(':').map((s) => s.trim());
    if (!category) return [];
    const varieties = (rest ?? '').split(' via ')[0]!.split(',').map((v) => v.trim()).filter((v) => v && v !== 'unknown');
    return varieties.length ? varieties.map((v) => `${category}: ${v}`) : [category];
  }));
}
