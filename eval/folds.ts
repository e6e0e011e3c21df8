import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { factsOf } from '../src/incidents/same-event-match.js';
import { SAME_EVENT_THRESHOLD, sameEvent } from '../src/incidents/same-event.js';
import type { EventFacts } from '../src/incidents/same-event.js';
import { parseSubmission } from '../src/incidents/submission.js';
import { mapVeris } from '../src/interop/veris.js';
import { loadLabels } from './labels.js';
import type { LabelGroup, LabelledPair } from './labels.js';

// npm run eval:folds: is SAME_EVENT_THRESHOLD a gain on records it was not chosen on?
// The labelled groups are split into five folds by a hash of their key; for each fold
// the threshold is chosen on the other four and scored on it. Each group is one
// victim here (the labels' grouping), and its records are joined in file order as an
// import joins them: a record joins the incident whose closest report is alike enough.
// Only certain pairs (within_365 "yes") can alarm, as `repeats` lists certain ones first.

const root = fileURLToPath(new URL('..', import.meta.url));
const data = path.join(root, '../shared/data/vcdb');
if (!existsSync(path.join(data, 'LABELS.json'))) {
  console.log(`Nothing checked: the labelled sample is not here (${data}).`);
  process.exit(0);
}
const labels = await loadLabels(path.join(data, 'LABELS.json'));
const THRESHOLDS = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4];

const facts = new Map<string, { facts: EventFacts; victim: string }>();
for (const group of labels.victims) {
  for (const file of group.files) {
    const submission = parseSubmission(mapVeris(JSON.parse(await readFile(path.join(data, 'incidents', file), 'utf8'))).submission);
    facts.set(file, { facts: factsOf(submission), victim: submission.victim.name });
  }
}
const pairKey = (a: string, b: string) => [a, b].sort().join('|');
const scores = new Map<string, number>();
for (const group of labels.victims) {
  for (const a of group.files) for (const b of group.files) {
    if (a < b) scores.set(pairKey(a, b), sameEvent(facts.get(a)!.facts, facts.get(b)!.facts, facts.get(a)!.victim).score);
  }
}

const isTrue = (p: LabelledPair) => p.label === 'distinct' && p.same_victim === true && p.within_365 === 'yes';
const isFalse = (p: LabelledPair) => p.label === 'same' || p.same_victim === false;

/** A group's records joined into incidents at `threshold`, and whether it alarms truly, falsely or neither. */
function outcome(group: LabelGroup, threshold: number): 'true' | 'false' | 'neither' | 'quiet' {
  const incidents: string[][] = [];
  for (const file of [...group.files].sort()) {
    const best = incidents
      .map((incident) => ({ incident, score: Math.max(...incident.map((x) => scores.get(pairKey(x, file))!)) }))
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

function score(groups: LabelGroup[], threshold: number) {
  const outcomes = groups.map((g) => ({ g, o: outcome(g, threshold) }));
  const found = outcomes.filter(({ g, o }) => g.true_repeat && o === 'true').length;
  const alarms = outcomes.filter(({ o }) => o === 'true' || o === 'false').length;
  const trueAlarms = outcomes.filter(({ o }) => o === 'true').length;
  const repeats = groups.filter((g) => g.true_repeat).length;
  return { found, repeats, trueAlarms, alarms, recall: found / Math.max(1, repeats), precision: trueAlarms / Math.max(1, alarms) };
}
// The target is recall 0.95 and precision 0.90: the threshold that comes nearest both.
const merit = (s: ReturnType<typeof score>) => Math.min(s.recall / 0.95, s.precision / 0.9);
const fold = (g: LabelGroup) => parseInt(createHash('sha1').update(g.key).digest('hex').slice(0, 6), 16) % 5;

console.log('threshold  recall          precision   (all labelled groups, each one victim)');
for (const t of THRESHOLDS) {
  const s = score(labels.victims, t);
  console.log(`${String(t).padEnd(9)}  ${`${s.found}/${s.repeats} = ${s.recall.toFixed(2)}`.padEnd(14)}  ${s.trueAlarms}/${s.alarms} = ${s.precision.toFixed(2)}${t === SAME_EVENT_THRESHOLD ? '   ← SAME_EVENT_THRESHOLD' : ''}`);
}
const held = { found: 0, repeats: 0, trueAlarms: 0, alarms: 0 };
for (let k = 0; k < 5; k++) {
  const train = labels.victims.filter((g) => fold(g) !== k);
  const test = labels.victims.filter((g) => fold(g) === k);
  const chosen = THRESHOLDS.map((t) => ({ t, s: score(train, t) })).sort((a, b) => merit(b.s) - merit(a.s) || a.t - b.t)[0]!;
  const s = score(test, chosen.t);
  for (const key of Object.keys(held) as (keyof typeof held)[]) held[key] += s[key];
  console.log(`fold ${k + 1}: chosen ${chosen.t} (train recall ${chosen.s.recall.toFixed(2)}, precision ${chosen.s.precision.toFixed(2)}); held out: recall ${s.found}/${s.repeats}, precision ${s.trueAlarms}/${s.alarms}`);
}
console.log(`held out, all folds: recall ${held.found}/${held.repeats} = ${(held.found / held.repeats).toFixed(2)}, precision ${held.trueAlarms}/${held.alarms} = ${(held.trueAlarms / held.alarms).toFixed(2)}`);
