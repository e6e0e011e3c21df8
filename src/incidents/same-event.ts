import { evidenceOf } from './event-evidence.js';
import type { EventFacts, Evidence, EvidenceKind } from './event-evidence.js';

/** How alike two reports are, and why: the reasons a person reads before merging. */
export interface SameEventJudgement {
  /** Weighed evidence; at or above SAME_EVENT_THRESHOLD the two are one event. */
  score: number;
  reasons: string[];
}

export type SameEventWeights = Record<EvidenceKind, number>;

/**
 * What each kind of evidence is worth, in log-odds of one event. Set by reading the
 * kinds of mistake, with the weights `npm run eval:folds` fits on the labelled VCDB
 * pairs as a guide; it also scores these on groups they were not chosen on (README
 * "Repeat-breach quality"). Round numbers, so a reader can weigh them.
 */
export const WEIGHTS: SameEventWeights = {
  datesOverlap: 1.25,
  datesSameYear: 0.75,
  datesNear: 0.5,
  datesApart: -1.5,
  datesFar: -3,
  sameRecords: 2.75,
  nearRecords: 2,
  otherRecords: -2,
  veryOtherRecords: -5,
  sharedNumber: 1.5,
  sharedSource: 1,
  textAlike: 3,
  textAlikeApart: 1,
  terseAccount: 0,
  sameVector: 1,
  otherVariety: -0.75,
  otherVector: -3,
  sharedVendor: 1,
  sharedActor: 1,
  followUp: 1,
  anotherEvent: -3,
  registerCopy: 0,
  registerCopyApart: 3.25,
};

/**
 * At or above this score an import joins the report to the incident, and the chat form
 * asks "Is this INC-…?". Chosen with the weights by `npm run eval:folds`.
 */
export const SAME_EVENT_THRESHOLD = 1.5;

/**
 * Whether two reports of one victim describe one event: a second article, a follow-up
 * about the arrest or the fine, a copy from a breach register with a later date. Each
 * shared fact is weighed; none alone decides.
 *
 * @example
 *   sameEvent(odessa2020FromTheCity, odessa2020FromAPaper).score >= SAME_EVENT_THRESHOLD // true
 */
export function sameEvent(a: EventFacts, b: EventFacts, victimName = '', weights: SameEventWeights = WEIGHTS): SameEventJudgement {
  return weigh(evidenceOf(a, b, victimName), weights);
}

/** The evidence's weighed sum, with the reasons that count for one event. */
export function weigh({ present, reasons }: Evidence, weights: SameEventWeights = WEIGHTS): SameEventJudgement {
  let score = 0;
  const why: string[] = [];
  for (const [kind, strength] of Object.entries(present) as [EvidenceKind, number][]) {
    const weight = weights[kind] * strength;
    score += weight;
    if (weight > 0 && reasons[kind]) why.push(reasons[kind]);
  }
  return { score: Math.round(score * 100) / 100, reasons: why };
}
