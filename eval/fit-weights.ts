import { EVIDENCE } from '../src/incidents/event-evidence.js';
import type { Evidence } from '../src/incidents/event-evidence.js';
import type { SameEventWeights } from '../src/incidents/same-event.js';

/** A hand-labelled pair of reports: the evidence between them, one event or two, and how much it counts. */
export interface TrainingPair {
  evidence: Evidence;
  sameEvent: boolean;
  /** Each labelled victim counts once, however many pairs it holds (Experian's 40 would drown the rest). */
  weight: number;
}

/**
 * The weights of the same-event evidence, fitted by L2-regularised logistic regression
 * on labelled pairs: the log-odds each kind of evidence adds that two reports tell one
 * event. The intercept is left to the threshold, which eval/folds.ts chooses on victims.
 */
export function fitWeights(pairs: readonly TrainingPair[], { l2 = 0.0001, steps = 8000, rate = 5 } = {}): SameEventWeights {
  const kinds = [...EVIDENCE];
  const w = new Array<number>(kinds.length).fill(0);
  let bias = 0;
  const total = pairs.reduce((sum, p) => sum + p.weight, 0);
  const rows = pairs.map((p) => ({ x: kinds.map((k) => p.evidence.present[k] ?? 0), y: p.sameEvent ? 1 : 0, weight: p.weight / total }));
  for (let step = 0; step < steps; step++) {
    const grad = w.map((wi) => l2 * wi);
    let gradBias = 0;
    for (const { x, y, weight } of rows) {
      const z = bias + x.reduce((sum, xi, i) => sum + xi * w[i]!, 0);
      const error = (1 / (1 + Math.exp(-z)) - y) * weight;
      x.forEach((xi, i) => { grad[i]! += error * xi; });
      gradBias += error;
    }
    grad.forEach((g, i) => { w[i]! -= rate * g; });
    bias -= rate * gradBias;
  }
  // Quarter steps: a weight a person can read and reason about.
  return Object.fromEntries(kinds.map((k, i) => [k, Math.round(w[i]! * 4) / 4])) as SameEventWeights;
}
