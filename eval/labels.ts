import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

// The layout of shared/data/vcdb/LABELS.json (its README explains each field).
const labelledPair = z.object({
  a: z.string(),
  b: z.string(),
  a_date: z.string(),
  b_date: z.string(),
  within_365: z.enum(['yes', 'maybe', 'no']),
  same_victim: z.union([z.boolean(), z.literal('unclear')]),
  label: z.enum(['distinct', 'same', 'unclear']),
  why: z.string(),
  date_caveat: z.string().optional(),
  text_within_365: z.enum(['yes', 'maybe', 'no']).optional(),
});

const labelGroup = z.object({
  key: z.string(),
  names: z.array(z.string()),
  files: z.array(z.string()),
  pairs: z.array(labelledPair),
  true_repeat: z.boolean(),
  note: z.string().optional(),
});

const labelsFile = z.object({
  about: z.string(),
  counts: z.record(z.string(), z.number()),
  victims: z.array(labelGroup),
});

/** Two records of one candidate victim, read and labelled by hand. */
export type LabelledPair = z.infer<typeof labelledPair>;
/** One candidate victim: its records (file names) and the labelled pairs among them. */
export type LabelGroup = z.infer<typeof labelGroup>;
export type Labels = z.infer<typeof labelsFile>;

/** Reads and checks a LABELS.json; a malformed file throws naming the field. */
export async function loadLabels(file: string): Promise<Labels> {
  const parsed = labelsFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * The file each imported record came from, by the ledger's external id
 * (`veris:<incident_id>`). Read from the files themselves: a file's name is not
 * always its incident_id.
 *
 * @example
 *   (await recordFiles('incidents')).get('veris:cbe7c3b0-…') // '677e6ac8-….json'
 */
export async function recordFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { incident_id?: unknown };
    if (typeof doc.incident_id === 'string') files.set(`veris:${doc.incident_id}`, name);
  }
  return files;
}
