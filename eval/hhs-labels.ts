import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { LabelledPair, Labels } from './labels.js';

// The layout of shared/data/hhs/LABELS.json (its README explains each field): groups of
// same-name records clustered into events, and labelled pairs of events. Read here into
// the pairs-of-records shape the VCDB score reads (eval/score.ts), so that one scoring
// rule serves both: two records of one event are a `same` pair; two records of two
// events carry the label of their events' pair.

const eventPair = z.object({
  a: z.string(),
  b: z.string(),
  a_date: z.string(),
  b_date: z.string(),
  within_365: z.enum(['yes', 'maybe', 'no']),
  same_victim: z.union([z.boolean(), z.literal('unclear')]),
  label: z.enum(['distinct', 'unclear']),
  why: z.string(),
});

const hhsLabels = z.object({
  about: z.string(),
  counts: z.record(z.string(), z.number()),
  victims: z.array(z.object({
    key: z.string(),
    names: z.array(z.string()),
    events: z.array(z.array(z.string()).min(1)),
    pairs: z.array(eventPair).default([]),
    true_repeat: z.boolean().default(false),
    note: z.string().optional(),
  })),
});

/** Reads HHS LABELS.json as record-pair labels; a malformed file throws naming the field. */
export async function loadHhsLabels(file: string): Promise<Labels> {
  const parsed = hhsLabels.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const { about, counts, victims } = parsed.data;
  return {
    about,
    counts,
    victims: victims.map((group) => {
      const eventOf = new Map(group.events.flatMap((records, i) => records.map((r) => [r, i] as const)));
      const pairs: LabelledPair[] = [];
      for (const records of group.events) {
        for (const [i, a] of records.entries()) {
          for (const b of records.slice(i + 1)) pairs.push({ a, b, a_date: '', b_date: '', within_365: 'yes', same_victim: true, label: 'same', why: 'one event' });
        }
      }
      for (const pair of group.pairs) {
        const [ea, eb] = [eventOf.get(pair.a), eventOf.get(pair.b)];
        if (ea === undefined || eb === undefined) continue;
        for (const a of group.events[ea]!) for (const b of group.events[eb]!) pairs.push({ ...pair, a, b });
      }
      return { key: group.key, names: group.names, files: group.events.flat(), pairs, true_repeat: group.true_repeat, ...(group.note ? { note: group.note } : {}) };
    }),
  };
}
