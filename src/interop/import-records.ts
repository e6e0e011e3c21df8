import type { Ledger } from '../ledger.js';
import type { Reporter } from '../incidents/report.js';
import { parseSubmission } from '../incidents/submission.js';
import { importRecord, reasonOf, storedVersions } from './import-summary.js';
import type { ImportOptions, ImportSummary, MappedRecord, StoredVersion } from './import-summary.js';

/** One record of a source: where it is (a file, a row) and how to read it. */
export interface SourceRecord {
  where: string;
  /** The record mapped to a submission; throws what is wrong with it. */
  read: () => MappedRecord | Promise<MappedRecord>;
}

/** A record read and mapped, with its place in the source. */
interface ReadRecord { n: number; where: string; record: MappedRecord }

// Records are read a hundred at a time, and their stored versions looked up at once. A
// batch's transaction holds the victims and years' reference counters it touched until it
// commits, and on embedded PGlite the one backend, so a batch ends after a tenth of a
// second: a lookup or report made in chat meanwhile waits at most that long. (On
// PostgreSQL that is about ten records a batch, enough to make begin and commit rare.)
const BATCH_RECORDS = 100;
const BATCH_MS = 100;

/**
 * Imports a source's records in its order. A record that cannot be read, or is not a
 * valid submission, or cannot be recorded goes to `refused` (by default
 * `summary.invalid`, with why) and the rest go on.
 *
 * The records read are recorded in batches, one transaction each: a dozen round trips a
 * record, and a transaction's begin and commit were three of them. Each record is still
 * all or nothing: when anything in a batch fails, nothing of it is kept (the summary too
 * goes back to before it), and its records are recorded again one transaction each, so a
 * record that cannot be recorded is refused alone. Both ways a record sees the ledger as
 * the records before it left it, so a batch gives the same results as one by one.
 */
export async function importRecords<S extends ImportSummary>(
  ledger: Ledger,
  records: SourceRecord[],
  reporter: Reporter,
  summary: S,
  options: ImportOptions,
  refused: (where: string, error: unknown) => void = (where, error) => summary.invalid.push({ file: where, reason: reasonOf(error) }),
): Promise<S> {
  for (let at = 0; at < records.length; at += BATCH_RECORDS) {
    const read: ReadRecord[] = [];
    for (const [i, { where, read: readRecord }] of records.slice(at, at + BATCH_RECORDS).entries()) {
      try {
        const record = await readRecord();
        // Refused here rather than in its batch, which it would fail for the others.
        parseSubmission(record.submission);
        read.push({ n: at + i, where, record });
      } catch (error) {
        refused(where, error);
      }
    }
    const stored = await storedVersions(ledger, read.map((r) => r.record.externalId));
    // A record whose id came earlier in this read (one record twice in a source) asks again:
    // the earlier one may have stored it since.
    const seen = new Set<string>();
    const known = read.map(({ record }): StoredVersion | null | undefined => {
      const first = !seen.has(record.externalId);
      seen.add(record.externalId);
      return first ? stored.get(record.externalId) ?? null : undefined;
    });
    const end = Math.min(at + BATCH_RECORDS, records.length);
    for (let from = 0; from < read.length;) {
      const putBack = restorable(summary);
      let last = from;
      try {
        await ledger.batch(async (inBatch) => {
          const started = performance.now();
          for (last = from; ; last += 1) {
            await importRecord(inBatch, read[last]!.record, read[last]!.where, reporter, summary, options, known[last]);
            if (last + 1 === read.length || performance.now() - started >= BATCH_MS) break;
          }
        });
      } catch {
        // Nothing of the batch is kept: from its first record to the one that failed (or
        // its last, when the commit failed), each again in a transaction of its own.
        putBack();
        for (let n = from; n <= last; n += 1) {
          try {
            await importRecord(ledger, read[n]!.record, read[n]!.where, reporter, summary, options);
          } catch (error) {
            refused(read[n]!.where, error);
          }
        }
      }
      from = last + 1;
      options.onProgress?.(from < read.length ? read[from]!.n : end, records.length);
    }
    if (read.length === 0) options.onProgress?.(end, records.length);
  }
  return summary;
}

/** How to put a summary back as it is now: its counts as they are, its lists cut back to their length. */
function restorable(summary: ImportSummary): () => void {
  const fields = summary as unknown as Record<string, unknown>;
  const was = Object.entries(fields).map(([key, value]) => [key, Array.isArray(value) ? value.length : value] as const);
  return () => {
    for (const [key, value] of was) {
      const now = fields[key];
      if (Array.isArray(now)) now.length = value as number;
      else fields[key] = value;
    }
  };
}
