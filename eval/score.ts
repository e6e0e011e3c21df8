import type { LabelGroup, LabelledPair, Labels } from './labels.js';

// The scoring rule of shared/data/vcdb/README.md ("Scoring a detector's list of repeat
// victims"), as the labels' own reference script applies it.

/** One incident of `breachdesk repeats --json`: the records it stands for are its own and its merged reports'. */
export interface ListedIncident {
  externalId?: string | null;
  reports?: readonly { externalId?: string | null }[];
}

/** One victim of `breachdesk repeats --json`. */
export interface ListedVictim {
  name: string;
  incidents: readonly ListedIncident[];
  certainty?: 'certain' | 'possible' | null;
}

/** The document `breachdesk repeats --json` prints (only what the score reads). */
export interface RepeatsListing {
  victims: readonly ListedVictim[];
}

/** Two files listed under one victim in two different incidents, and why they do not make a true pair. */
export interface JudgedPair {
  a: string;
  b: string;
  why: string;
}

export interface AlarmedVictim {
  name: string;
  /** The files of each listed incident (records not in the sample are left out). */
  incidents: string[][];
}

export interface FalseAlarm extends AlarmedVictim {
  /** Every labelled pair the victim holds, each `same`, of two organisations, or over 365 days apart. */
  pairs: JudgedPair[];
}

export interface Undecided extends AlarmedVictim {
  /** The pairs that are neither true nor false: unclear labels, dates that may or may not fit, unlabelled files. */
  pairs: JudgedPair[];
}

export interface MissedRepeat {
  key: string;
  names: string[];
  files: string[];
}

/** Recall and precision over one set of listed victims. */
export interface Figures {
  listed: number;
  trueAlarms: number;
  falseAlarms: number;
  neither: number;
  /** True-repeat groups whose true pair is listed under one victim, across two of its incidents. */
  found: number;
  trueRepeats: number;
  recall: number;
  /** Null when no victim is an alarm either way. */
  precision: number | null;
  trueAlarmVictims: (AlarmedVictim & { groups: string[] })[];
  missed: MissedRepeat[];
  falseAlarmVictims: FalseAlarm[];
  neitherVictims: Undecided[];
}

export interface EvalScore {
  /** Every listed victim. */
  all: Figures;
  /** Only victims whose verdict is certain; null when the listing says nothing of certainty. */
  certainOnly: Figures | null;
}

interface Judged {
  victim: ListedVictim;
  incidents: string[][];
  verdict: 'true' | 'false' | 'neither';
  groups: Set<string>;
  falsePairs: JudgedPair[];
  undecided: JudgedPair[];
}

interface LabelIndex {
  groupOf: Map<string, LabelGroup>;
  pairOf: Map<string, LabelledPair>;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);

/**
 * Scores a repeats listing against the hand labels.
 *
 * @param fileOf the sample file of each record, by the ledger's external id (`veris:<incident_id>`)
 * @example
 *   const score = scoreRepeats(labels, await recordFiles(dir), repeatsJson(365, await ledger.repeats({ limit: 100_000 })));
 *   score.all.recall // 49 / 59 on the code of 2026-11-28
 */
export function scoreRepeats(labels: Labels, fileOf: ReadonlyMap<string, string>, listing: RepeatsListing): EvalScore {
  const index: LabelIndex = { groupOf: new Map(), pairOf: new Map() };
  for (const group of labels.victims) {
    for (const file of group.files) index.groupOf.set(file, group);
    for (const pair of group.pairs) index.pairOf.set(pairKey(pair.a, pair.b), pair);
  }
  const judged = listing.victims.map((victim) => judge(victim, fileOf, index));
  const certainty = listing.victims.some((v) => v.certainty != null);
  return {
    all: figures(judged, labels),
    certainOnly: certainty ? figures(judged.filter((j) => j.victim.certainty === 'certain'), labels) : null,
  };
}

function judge(victim: ListedVictim, fileOf: ReadonlyMap<string, string>, index: LabelIndex): Judged {
  const incidents = victim.incidents.map((incident) => {
    const ids = [incident.externalId, ...(incident.reports ?? []).map((r) => r.externalId)];
    return [...new Set(ids.flatMap((id) => (id != null && fileOf.has(id) ? [fileOf.get(id) as string] : [])))];
  });
  const groups = new Set<string>();
  const falsePairs: JudgedPair[] = [];
  const undecided: JudgedPair[] = [];
  for (const [i, x] of incidents.entries()) {
    for (const y of incidents.slice(i + 1)) {
      for (const a of x) {
        for (const b of y) {
          const group = index.groupOf.get(a);
          if (!group || group !== index.groupOf.get(b)) {
            undecided.push({ a, b, why: group || index.groupOf.has(b) ? 'files of two different label groups' : 'files in no label group' });
            continue;
          }
          const pair = index.pairOf.get(pairKey(a, b));
          if (a === b) falsePairs.push({ a, b, why: 'one record listed in two incidents' });
          // A group's files that are not a labelled pair lie more than 365 days apart.
          else if (!pair) falsePairs.push({ a, b, why: 'over 365 days apart (not a labelled pair)' });
          else if (pair.label === 'distinct' && pair.same_victim === true && pair.within_365 === 'yes') groups.add(group.key);
          else if (pair.label === 'same') falsePairs.push({ a, b, why: `one event: ${pair.why}` });
          else if (pair.same_victim === false) falsePairs.push({ a, b, why: `two organisations: ${pair.why}` });
          else if (pair.within_365 === 'no') falsePairs.push({ a, b, why: `over 365 days apart: ${pair.why}` });
          else undecided.push({ a, b, why: unclearWhy(pair) });
        }
      }
    }
  }
  const verdict = groups.size > 0 ? 'true' : undecided.length === 0 && falsePairs.length > 0 ? 'false' : 'neither';
  return { victim, incidents, verdict, groups, falsePairs, undecided };
}

function unclearWhy(pair: LabelledPair): string {
  const doubts = [
    pair.label === 'unclear' ? 'one event or two unclear' : '',
    pair.same_victim === 'unclear' ? 'same organisation unclear' : '',
    pair.within_365 === 'maybe' ? 'dates may or may not lie within 365 days' : '',
  ].filter(Boolean);
  return `${doubts.join('; ')}: ${pair.why}`;
}

function figures(judged: Judged[], labels: Labels): Figures {
  const found = new Set(judged.flatMap((j) => [...j.groups]));
  const trueRepeats = labels.victims.filter((g) => g.true_repeat);
  const of = (verdict: Judged['verdict']) => judged.filter((j) => j.verdict === verdict);
  const listed = (j: Judged): AlarmedVictim => ({ name: j.victim.name, incidents: j.incidents });
  const trueAlarms = of('true');
  const falseAlarms = of('false');
  const alarms = trueAlarms.length + falseAlarms.length;
  return {
    listed: judged.length,
    trueAlarms: trueAlarms.length,
    falseAlarms: falseAlarms.length,
    neither: of('neither').length,
    found: trueRepeats.filter((g) => found.has(g.key)).length,
    trueRepeats: trueRepeats.length,
    recall: trueRepeats.length === 0 ? 1 : trueRepeats.filter((g) => found.has(g.key)).length / trueRepeats.length,
    precision: alarms === 0 ? null : trueAlarms.length / alarms,
    trueAlarmVictims: trueAlarms.map((j) => ({ ...listed(j), groups: [...j.groups] })),
    missed: trueRepeats.filter((g) => !found.has(g.key)).map((g) => ({ key: g.key, names: g.names, files: g.files })),
    falseAlarmVictims: falseAlarms.map((j) => ({ ...listed(j), pairs: j.falsePairs })),
    neitherVictims: of('neither').map((j) => ({ ...listed(j), pairs: j.undecided })),
  };
}
