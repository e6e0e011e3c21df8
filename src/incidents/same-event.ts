import type { Incident } from './incident-view.js';
import { periodEnd } from './partial-date.js';

/**
 * What two reports of an incident are compared by: an Incident's facts, or a
 * submission read the same way (same-event-match.ts `factsOf`).
 */
export type EventFacts = Pick<Incident, 'started' | 'ended' | 'discovered' | 'disclosed' | 'title' | 'summary' | 'description'
  | 'vendor' | 'vector' | 'techniques' | 'threatActors' | 'recordsAffected' | 'sources'>;

/** How alike two reports are, and why: the reasons a person reads before merging. */
export interface SameEventJudgement {
  /** Weighed evidence; at or above SAME_EVENT_THRESHOLD the two are one event. */
  score: number;
  reasons: string[];
}

/**
 * At or above this score an import joins the report to the incident, and the chat form
 * asks "Is this INC-…?". Chosen by 5-fold cross-validation on the labelled VCDB sample
 * (README "Repeat-breach quality").
 */
export const SAME_EVENT_THRESHOLD = 1.5;

// Each piece of evidence and its weight. None alone reaches the threshold: dates
// that overlap need one more shared fact, and so does a shared record count when
// the dates lie months apart (a register's copy with a later date).
const WEIGHTS = {
  datesOverlap: 1.25,
  datesWithinYear: 0.75,
  datesNear: 0.5,
  datesApart: -1.5,
  datesFar: -3,
  sameRecords: 2.75,
  nearRecords: 2,
  otherRecords: -2,
  veryOtherRecords: -5,
  sharedSource: 1,
  sharedNumber: 1.5,
  textAlike: 3,
  textAlikeApart: 1,
  sameVector: 1,
  otherVector: -1.5,
  otherVariety: -0.75,
  sharedVendor: 1,
  sharedActor: 1,
  followUp: 1,
  anotherEvent: -3,
} as const;

/**
 * Whether two reports of one victim describe one event: a second article, a follow-up
 * about the arrest or the fine, a copy from a breach register with a later date. Each
 * shared fact is weighed; none alone decides.
 *
 * @example
 *   sameEvent(odessa2020FromTheCity, odessa2020FromAPaper).score >= SAME_EVENT_THRESHOLD // true
 */
export function sameEvent(a: EventFacts, b: EventFacts, victimName = ''): SameEventJudgement {
  let score = 0;
  const reasons: string[] = [];
  const add = (weight: number, reason: string) => {
    score += weight;
    if (weight > 0) reasons.push(reason);
  };

  const gap = daysApart(a, b);
  const yearOnly = a.started.precision === 'year' || b.started.precision === 'year';
  if (gap === 0) add(yearOnly ? WEIGHTS.datesWithinYear : WEIGHTS.datesOverlap, yearOnly ? 'same year' : 'dates overlap');
  else if (gap <= 31 && !yearOnly) add(WEIGHTS.datesNear, `dates ${gap} days apart`);
  else add(gap <= 365 ? WEIGHTS.datesApart : WEIGHTS.datesFar, '');

  const [ra, rb] = [a.recordsAffected, b.recordsAffected];
  if (ra !== null && rb !== null && ra > 0 && rb > 0) {
    const ratio = Math.max(ra, rb) / Math.min(ra, rb);
    if (ra === rb) add(WEIGHTS.sameRecords, `same records affected (${ra.toLocaleString('en-US')})`);
    else if (ratio <= 1.1) add(WEIGHTS.nearRecords, `records affected close (${ra.toLocaleString('en-US')} / ${rb.toLocaleString('en-US')})`);
    // 3,000 in one story and 3,397 in another are one count, rounded; 16 and 22 are two.
    else if (ratio > 1.5 || !(isRound(ra) || isRound(rb))) add(ratio > 3 ? WEIGHTS.veryOtherRecords : WEIGHTS.otherRecords, '');
  }

  const textA = textOf(a);
  const textB = textOf(b);
  const ignore = words(victimName);
  const numbers = sharedNumbers(a, textA, b, textB);
  if (numbers.length > 0 && !(ra !== null && ra === rb)) add(WEIGHTS.sharedNumber, `same figure (${numbers[0]!.toLocaleString('en-US')})`);

  if (a.sources.some((s) => b.sources.includes(s))) add(WEIGHTS.sharedSource, 'a shared source');

  const alike = textSimilarity(textA, textB, ignore);
  // Two breaches of one system months apart read alike: with dates apart, the account
  // alone cannot make them one event.
  const textWeight = gap > 31 ? WEIGHTS.textAlikeApart : WEIGHTS.textAlike;
  if (alike > 0.1) add(textWeight * Math.min(1, alike / 0.4), `similar account (${Math.round(alike * 100)}% of words shared)`);

  const va = vectorParts(a.vector);
  const vb = vectorParts(b.vector);
  if (va.size > 0 && vb.size > 0) {
    const same = [...va].find((v) => vb.has(v));
    // Coded by different hands, one loss is "Loss" here and "Disposal error" there:
    // only another kind of action altogether (theft, not an error) tells two events apart.
    if (same) add(WEIGHTS.sameVector, `same vector (${same})`);
    else add([...va].some((v) => [...vb].some((w) => categoryOf(v) === categoryOf(w))) ? WEIGHTS.otherVariety : WEIGHTS.otherVector, '');
  }
  if (a.vendor && b.vendor && a.vendor.toLowerCase() === b.vendor.toLowerCase()) add(WEIGHTS.sharedVendor, `same vendor (${a.vendor})`);
  const actor = a.threatActors.find((x) => b.threatActors.some((y) => y.toLowerCase() === x.toLowerCase()));
  if (actor) add(WEIGHTS.sharedActor, `same threat actor (${actor})`);

  // A sentencing story is about some earlier event: this one, when the two accounts meet.
  if ((FOLLOW_UP.test(textA) || FOLLOW_UP.test(textB)) && (alike > 0.1 || numbers.length > 0)) add(WEIGHTS.followUp, 'a follow-up story (arrest, plea, sentence, fine or suit)');
  if (ANOTHER_EVENT.test(textA) || ANOTHER_EVENT.test(textB)) add(WEIGHTS.anotherEvent, '');

  return { score: Math.round(score * 100) / 100, reasons };
}

/** Days between the two events' date ranges (start to end or discovery); 0 when they meet. */
export function daysApart(a: EventFacts, b: EventFacts): number {
  const [sa, ea] = span(a);
  const [sb, eb] = span(b);
  if (ea < sb) return dayDiff(ea, sb);
  if (eb < sa) return dayDiff(eb, sa);
  return 0;
}

function span(e: EventFacts): [string, string] {
  const ends = [periodEnd(e.started), e.ended ? periodEnd(e.ended) : ''];
  return [e.started.on, ends.reduce((x, y) => (y > x ? y : x))];
}

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The legal and regulatory aftermath of a breach, told later: the same event. */
const FOLLOW_UP = /\b(sentenc\w*|plead\w*|pled|guilty|convict\w*|indict\w*|charged|arrest\w*|settle\w*|settlement|fined|lawsuit|sued|class action|jail|prison)\b/i;
/** Words that say the report is of a further event. */
const ANOTHER_EVENT = /\b(again|once more|re-?hacked|(second|another|third|separate|additional|previous|earlier|two|three|several) (\w+ )?(breach|breaches|incident|incidents|attack|attacks|hack|hacks|intrusion|leak|instances|losses))\b/i;

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

/** Share of the shorter account's distinctive words that the other also uses. */
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
