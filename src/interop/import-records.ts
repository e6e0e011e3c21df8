import type { Ledger } from '../ledger.js';
import type { Reporter } from '../incidents/report.js';
import { parseSubmission } from '../incidents/submission.js';
import type { IncidentSubmission } from '../incidents/submission.js';
import type { VictimResolution } from '../incidents/victim-resolution.js';
import { importRecord, reasonOf, storedVersions } from './import-summary.js';
import type { ImportOptions, ImportSummary, MappedRecord, StoredVersion } from './import-summary.js';

/** One record of a source: where it is (a file, a row) and how to read it. */
export interface SourceRecord {
  where: string;
  /** The record mapped to a submission; throws what is wrong with it. */
  read: () => MappedRecord | Promise<MappedRecord>;
}

/** A record read, mapped and validated, with its place in the source and its stored version (undefined: not looked up). */
interface ReadRecord { n: number; where: string; record: MappedRecord & { parsed: IncidentSubmission }; stored: StoredVersion | null | undefined }

// Records are read a hundred at a time, and their stored versions looked up at once. A
// batch's transaction holds the victims and years' reference counters it touched until it
// commits, and on embedded PGlite the one backend, so a batch ends after a tenth of a
// second: a lookup or report made in chat meanwhile waits at most that long. (On
// PostgreSQL that is about ten records a batch, enough to make begin and commit rare.)
const BATCH_RECORDS = 100;
const BATCH_MS = 100;
// Within a batch, the victims of the next records are resolved in one statement
// (ledger.resolveTogether): as many as the batch before recorded, twenty at most. More
// would be resolved for nothing when the batch ends before them, and on a large ledger
// (a name there can take tens of milliseconds) would hold the one backend of embedded
// PGlite past a batch's tenth of a second.
const RESOLVE_TOGETHER = 20;

/**
 * Imports a source's records in its order. A record that cannot be read, or is not a
 * valid submission, or cannot be recorded goes to `refused` (by default
 * `summary.invalid`, with why) and the rest go on.
 *
 * The records read are recorded in batches, one transaction each: a record is four or
 * five round trips, and a transaction of its own would add three (begin, its setting, commit). Each record is still
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
  const record = (into: Ledger, r: ReadRecord, stored?: StoredVersion | null, victim?: VictimResolution) =>
    importRecord(into, r.record, r.where, reporter, summary, options, stored, victim);
  let together = RESOLVE_TOGETHER;
  for (let at = 0; at < records.length; at += BATCH_RECORDS) {
    const read = await readSome(ledger, records.slice(at, at + BATCH_RECORDS), at, refused);
    for (let from = 0; from < read.length;) {
      const next = await recordBatch(ledger, read, from, together, summary, record, refused);
      if (next < read.length) together = Math.min(RESOLVE_TOGETHER, next - from);
      from = next;
      if (from < read.length) options.onProgress?.(read[from]!.n, records.length);
    }
    options.onProgress?.(Math.min(at + BATCH_RECORDS, records.length), records.length);
  }
  return summary;
}

/**
 * Reads and validates records (from the `at`th of the source), refusing those that
 * cannot be; a record that does not validate is refused here rather than failing its
 * batch for the others. Their stored versions are looked up at once.
 */
async function readSome(ledger: Ledger, records: SourceRecord[], at: number, refused: (where: string, error: unknown) => void): Promise<ReadRecord[]> {
  const read: ReadRecord[] = [];
  for (const [i, { where, read: readRecord }] of records.entries()) {
    try {
      const record = await readRecord();
      read.push({ n: at + i, where, record: { ...record, parsed: parseSubmission(record.submission) }, stored: undefined });
    } catch (error) {
      refused(where, error);
    }
  }
  const stored = await storedVersions(ledger, read.map((r) => r.record.externalId));
  // A record whose id came earlier in this read (one record twice in a source) asks again:
  // the earlier one may have stored it since.
  const seen = new Set<string>();
  for (const r of read) {
    if (!seen.has(r.record.externalId)) r.stored = stored.get(r.record.externalId) ?? null;
    seen.add(r.record.externalId);
  }
  return read;
}

/**
 * Records `read` from `from` in one transaction until they end or BATCH_MS has passed,
 * their victims resolved `together` at a time; returns where the next batch begins.
 * When the batch fails, nothing of it is kept: from its first record to the one that
 * failed (or its last, when the commit failed), each is recorded again in a
 * transaction of its own.
 */
async function recordBatch(
  ledger: Ledger,
  read: ReadRecord[],
  from: number,
  together: number,
  summary: ImportSummary,
  record: (into: Ledger, r: ReadRecord, stored?: StoredVersion | null, victim?: VictimResolution) => Promise<void>,
  refused: (where: string, error: unknown) => void,
): Promise<number> {
  const putBack = restorable(summary);
  let last = from;
  try {
    await ledger.batch(async (inBatch) => {
      const started = performance.now();
      let victims: (VictimResolution | undefined)[] = [];
      for (last = from; ; last += 1) {
        const nth = (last - from) % together;
        if (nth === 0) victims = await inBatch.resolveTogether(read.slice(last, last + together).map((r) => r.record.parsed));
        await record(inBatch, read[last]!, read[last]!.stored, victims[nth]);
        if (last + 1 === read.length || performance.now() - started >= BATCH_MS) break;
      }
    });
  } catch {
    putBack();
    for (const r of read.slice(from, last + 1)) {
      try {
        await record(ledger, r);
      } catch (error) {
        refused(r.where, error);
      }
    }
  }
  return last + 1;
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
