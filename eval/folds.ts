import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evidenceOf } from '../src/incidents/event-evidence.js';
import type { EventFacts, Evidence } from '../src/incidents/event-evidence.js';
import { factsOf } from '../src/incidents/same-event-match.js';
import { SAME_EVENT_THRESHOLD, WEIGHTS, weigh } from '../src/incidents/same-event.js';
import type { SameEventWeights } from '../src/incidents/same-event.js';
import { parseSubmission } from '../src/incidents/submission.js';
import { mapVeris } from '../src/interop/veris.js';
import { fitWeights } from './fit-weights.js';
import type { TrainingPair } from './fit-weights.js';
import { loadLabels } from './labels.js';
import type { LabelGroup, LabelledPair } from './labels.js';

// npm run eval:folds: are the same-event weights and SAME_EVENT_THRESHOLD a gain on
// records they were not chosen on? The labelled groups are split into five folds by a
// hash of their key. Twice over: for each fold the threshold is chosen on the other
// four with the weights in use, then with weights fitted (eval/fit-weights.ts) on the
// other four's labelled pairs; each is scored on the fold. Each group is one victim here (the labels' grouping), and its
// records are joined in file order as an import joins them: a record joins the
// incident whose closest report is alike enough. Only certain pairs (within_365
// "yes") can alarm, as `repeats` lists certain ones first. Last, the weights fitted on
// all groups are printed beside the ones in src/incidents/same-event.ts.

const root = fileURLToPath(new URL('..', import.meta.url));
const data = path.join(root, '../shared/data/vcdb');
if (!existsSync(path.join(data, 'LABELS.json'))) {
  console.log(`Nothing checked: the labelled sample is not here (${data}).`);
  process.exit(0);
}
const labels = await loadLabels(path.join(data, 'LABELS.json'));
const THRESHOLDS = Array.from({ length: 25 }, (_, i) => i * 0.25 - 1); // -1 … 5

const facts = new Map<string, { facts: EventFacts; victim: string }>();
for (const group of labels.victims) {
  for (const file of group.files) {
    const submission = parseSubmission(mapVeris(JSON.parse(await readFile(path.join(data, 'incidents', file), 'utf8'))).submission);
    facts.set(file, { facts: factsOf(submission), victim: submission.victim.name });
  }
}
const pairKey = (a: string, b: string) => [a, b].sort().join('|');
const evidence = new Map<string, Evidence>();
for (const group of labels.victims) {
  for (const a of group.files) for (const b of group.files) {
    if (a < b) evidence.set(pairKey(a, b), evidenceOf(facts.get(a)!.facts, facts.get(b)!.facts, facts.get(a)!.victim));
  }
}

/** The labelled pairs of one organisation, one event or two, to fit the weights on. */
function trainingPairs(groups: LabelGroup[]): TrainingPair[] {
  return groups.flatMap((g) => {
    const pairs = g.pairs.filter((p) => p.same_victim === true && p.label !== 'unclear');
    return pairs.map((p) => ({ evidence: evidence.get(pairKey(p.a, p.b))!, sameEvent: p.label === 'same', weight: 1 / pairs.length }));
  });
}
const isTrue = (p: LabelledPair) => p.label === 'distinct' && p.same_victim === true && p.within_365 === 'yes';
const isFalse = (p: LabelledPair) => p.label === 'same' || p.same_victim === false;

/** A group's records joined into incidents at `threshold`, and whether it alarms truly, falsely or neither. */
function outcome(group: LabelGroup, weights: SameEventWeights, threshold: number): 'true' | 'false' | 'neither' | 'quiet' {
  const incidents: string[][] = [];
  for (const file of [...group.files].sort()) {
    const best = incidents
      .map((incident) => ({ incident, score: Math.max(...incident.map((x) => weigh(evidence.get(pairKey(x, file))!, weights).score)) }))
      .sort((x, y) => y.score - x.score)[0];
    if (best && best.score >= threshold) best.incident.push(file);
    else incidents.push([file]);
  }
  const pairs = new Map(group.pairs.map((p) => [pairKey(p.a, p.b), p]));
  const certain: LabelledPair[] = [];
  incidents.forEach((x, i) => incidents.slice(i + 1).forEach((y) => {
    for (const a of x) for (const b of y) {
      const p = pairs.get(pairKey(a, b));
      if (p?.within_365 === 'yes') certain.push(p);
    }
  }));
  if (certain.length === 0) return 'quiet';
  if (certain.some(isTrue)) return 'true';
  return certain.every(isFalse) ? 'false' : 'neither';
}

function score(groups: LabelGroup[], weights: SameEventWeights, threshold: number) {
  const outcomes = groups.map((g) => ({ g, o: outcome(g, weights, threshold) }));
  const found = outcomes.filter(({ g, o }) => g.true_repeat && o === 'true').length;
  const alarms = outcomes.filter(({ o }) => o === 'true' || o === 'false').length;
  const trueAlarms = outcomes.filter(({ o }) => o === 'true').length;
  const repeats = groups.filter((g) => g.true_repeat).length;
  return { found, repeats, trueAlarms, alarms, recall: found / Math.max(1, repeats), precision: trueAlarms / Math.max(1, alarms) };
}
// The target is recall 0.95 and precision 0.90: the threshold that comes nearest both.
const merit = (s: ReturnType<typeof score>) => Math.min(s.recall / 0.95, s.precision / 0.9);
const fold = (g: LabelGroup) => parseInt(createHash('sha1').update(g.key).digest('hex').slice(0, 6), 16) % 5;

const figure = (s: ReturnType<typeof score>) => `recall ${s.found}/${s.repeats} = ${s.recall.toFixed(2)}, precision ${s.trueAlarms}/${s.alarms} = ${s.precision.toFixed(2)}`;
const choose = (groups: LabelGroup[], weights: SameEventWeights) =>
  THRESHOLDS.map((t) => ({ t, s: score(groups, weights, t) })).sort((a, b) => merit(b.s) - merit(a.s) || Math.abs(a.t - 1.5) - Math.abs(b.t - 1.5))[0]!;

/** Held out over the five folds: on each, `weightsFor` the other four and the threshold chosen on them. */
function heldOut(title: string, weightsFor: (train: LabelGroup[]) => SameEventWeights) {
  const held = { found: 0, repeats: 0, trueAlarms: 0, alarms: 0 };
  console.log(title);
  for (let k = 0; k < 5; k++) {
    const train = labels.victims.filter((g) => fold(g) !== k);
    const test = labels.victims.filter((g) => fold(g) === k);
    const weights = weightsFor(train);
    const chosen = choose(train, weights);
    const s = score(test, weights, chosen.t);
    for (const key of Object.keys(held) as (keyof typeof held)[]) held[key] += s[key];
    console.log(`  fold ${k + 1}: threshold ${chosen.t} (train ${figure(chosen.s)}); held out: recall ${s.found}/${s.repeats}, precision ${s.trueAlarms}/${s.alarms}`);
  }
  console.log(`  held out, all folds: recall ${held.found}/${held.repeats} = ${(held.found / held.repeats).toFixed(2)}, precision ${held.trueAlarms}/${held.alarms} = ${(held.trueAlarms / held.alarms).toFixed(2)}`);
}

heldOut('The weights in use, the threshold chosen on four folds and scored on the fifth:', () => WEIGHTS);
heldOut('Weights and threshold both fitted on four folds and scored on the fifth:', (train) => fitWeights(trainingPairs(train)));

const fitted = fitWeights(trainingPairs(labels.victims));
const best = choose(labels.victims, fitted);
console.log(`\nin use (src/incidents/same-event.ts, threshold ${SAME_EVENT_THRESHOLD}): ${figure(score(labels.victims, WEIGHTS, SAME_EVENT_THRESHOLD))}`);
console.log(`fitted on all groups (threshold ${best.t}): ${figure(best.s)}`);
console.log('kind                 in use   fitted');
for (const kind of Object.keys(fitted) as (keyof SameEventWeights)[]) {
  console.log(`${kind.padEnd(20)} ${String(WEIGHTS[kind]).padStart(6)}   ${String(fitted[kind]).padStart(6)}${WEIGHTS[kind] === fitted[kind] ? '' : '   ←'}`);
}
