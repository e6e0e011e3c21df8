import type { Ledger } from '../ledger.js';
import type { Reporter } from '../incidents/report.js';
import { createsItsVictim } from '../incidents/report-new-victims.js';
import { parseSubmission } from '../incidents/submission.js';
import type { IncidentSubmission } from '../incidents/submission.js';
import type { VictimResolution } from '../incidents/victim-resolution.js';
import { countImported, importRecord, reasonOf, storedVersions } from './import-summary.js';
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
// An import analyzes the tables it fills (ledger.analyze) each time it has doubled them,
// from this many records on, and at its end when it grew them by a fifth since: a 10,000-
// record feed into an empty ledger took 21 s with the statistics of an empty one, 9 s so.
const ANALYZE_FROM = 250;

/**
 * Imports a source's records in its order. A record that cannot be read, or is not a
 * valid submission, or cannot be recorded goes to `refused` (by default
 * `summary.invalid`, with why) and the rest go on.
 *
 * The records read are recorded in batches, one transaction each: a record of a known
 * victim is two round trips (its nearby incidents, its insert; the batch holds its
 * victims at once), a run of records creating theirs two for all of them, and a
 * transaction of its own would add three (begin, its setting, commit). Each record is still
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
  const recorder: Recorder = {
    one: (into, r, stored, victim) => importRecord(into, r.record, r.where, reporter, summary, options, stored, victim),
    newVictims: async (into, rs, victims) => {
      const outcomes = await into.reportNewVictims(rs.map((r, i) => ({ submission: r.record.parsed, resolution: victims[i], externalId: r.record.externalId, sourceHash: r.record.sourceHash })), reporter);
      for (const [i, outcome] of outcomes.entries()) countImported(summary, rs[i]!.record, rs[i]!.where, outcome, false);
    },
    // A new record creating its victim, with no alerts to queue, is written with the others
    // like it that follow (their victims resolved together, so none names another's).
    inRun: (r, victim) => r.stored === null && !options.alerts && createsItsVictim(r.record.parsed, victim),
  };
  let together = RESOLVE_TOGETHER;
  const statistics = plannerStatistics(ledger, summary);
  // The next records are read and validated while these are recorded: the database's
  // time and the files' overlap. (Their stored versions are looked up in their turn.)
  let reading = readSome(records.slice(0, BATCH_RECORDS), 0);
  for (let at = 0; at < records.length; at += BATCH_RECORDS) {
    const { read, unreadable } = await reading;
    if (at + BATCH_RECORDS < records.length) reading = readSome(records.slice(at + BATCH_RECORDS, at + 2 * BATCH_RECORDS), at + BATCH_RECORDS);
    for (const [where, error] of unreadable) refused(where, error);
    await lookUpStored(ledger, read);
    for (let from = 0; from < read.length;) {
      const next = await recordBatch(ledger, read, from, together, summary, recorder, refused);
      if (next < read.length) together = Math.min(RESOLVE_TOGETHER, next - from);
      from = next;
      if (from < read.length) options.onProgress?.(read[from]!.n, records.length);
    }
    options.onProgress?.(Math.min(at + BATCH_RECORDS, records.length), records.length);
    await statistics.grown();
  }
  await statistics.ended();
  return summary;
}

/** When an import analyzes the tables it fills: as it doubles them, and at its end (ANALYZE_FROM). */
function plannerStatistics(ledger: Ledger, summary: ImportSummary) {
  // Records stored when last analyzed (or before this import), and the incidents the tables held then (unknown: none).
  let stored = summary.imported + summary.updated;
  let held = 0;
  const since = () => summary.imported + summary.updated - stored;
  const analyze = async () => {
    stored = summary.imported + summary.updated;
    held = await ledger.analyze();
  };
  return {
    grown: async () => {
      if (since() >= Math.max(ANALYZE_FROM, held)) await analyze();
    },
    ended: async () => {
      if (since() >= ANALYZE_FROM && since() * 5 >= held) await analyze();
    },
  };
}

/**
 * Reads and validates records (from the `at`th of the source); those that cannot be
 * are set apart with why, so a record that does not validate is refused alone rather
 * than failing its batch for the others.
 */
async function readSome(records: SourceRecord[], at: number): Promise<{ read: ReadRecord[]; unreadable: [string, unknown][] }> {
  const read: ReadRecord[] = [];
  const unreadable: [string, unknown][] = [];
  for (const [i, { where, read: readRecord }] of records.entries()) {
    try {
      const record = await readRecord();
      read.push({ n: at + i, where, record: { ...record, parsed: parseSubmission(record.submission) }, stored: undefined });
    } catch (error) {
      unreadable.push([where, error]);
    }
    // Back to the event loop after each record: reading a file is CPU on this thread, and
    // without the turn a hundred records were read before the server's next answer was
    // taken, so reading and the server's time did not overlap (bench/README.md).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { read, unreadable };
}

/** The stored versions of records read, looked up at once. */
async function lookUpStored(ledger: Ledger, read: ReadRecord[]): Promise<void> {
  const stored = await storedVersions(ledger, read.map((r) => r.record.externalId));
  // A record whose id came earlier in this read (one record twice in a source) asks again:
  // the earlier one may have stored it since.
  const seen = new Set<string>();
  for (const r of read) {
    if (!seen.has(r.record.externalId)) r.stored = stored.get(r.record.externalId) ?? null;
    seen.add(r.record.externalId);
  }
}

/** How a batch records: one record, or a run of records that create their victims, together. */
interface Recorder {
  one: (into: Ledger, r: ReadRecord, stored?: StoredVersion | null, victim?: VictimResolution) => Promise<void>;
  newVictims: (into: Ledger, rs: ReadRecord[], victims: (VictimResolution | undefined)[]) => Promise<void>;
  /** Whether the record may be written with the records like it beside it (`newVictims`). */
  inRun: (r: ReadRecord, victim: VictimResolution | undefined) => boolean;
}

/**
 * Records `read` from `from` in one transaction until they end or BATCH_MS has passed,
 * their victims resolved `together` at a time, and each run of those that create their
 * victims written at once; returns where the next batch begins. When the batch fails,
 * nothing of it is kept: from its first record to the last it tried, each is recorded
 * again in a transaction of its own.
 */
async function recordBatch(
  ledger: Ledger,
  read: ReadRecord[],
  from: number,
  together: number,
  summary: ImportSummary,
  recorder: Recorder,
  refused: (where: string, error: unknown) => void,
): Promise<number> {
  const putBack = restorable(summary);
  // Past the records tried: at least the first, whatever fails.
  let next = from + 1;
  try {
    await ledger.batch(async (inBatch) => {
      const started = performance.now();
      let resolvedFrom = from;
      let victims: (VictimResolution | undefined)[] = [];
      for (let at = from; at < read.length && (at === from || performance.now() - started < BATCH_MS); at = next) {
        if (at - resolvedFrom >= victims.length) {
          resolvedFrom = at;
          victims = await inBatch.resolveTogether(read.slice(at, at + together).map((r) => r.record.parsed));
        }
        // The run of records from here that may be written together, within those resolved.
        let end = at - resolvedFrom;
        while (end < victims.length && recorder.inRun(read[resolvedFrom + end]!, victims[end])) end += 1;
        next = Math.max(resolvedFrom + end, at + 1);
        if (next - at > 1) await recorder.newVictims(inBatch, read.slice(at, next), victims.slice(at - resolvedFrom, end));
        else await recorder.one(inBatch, read[at]!, read[at]!.stored, victims[at - resolvedFrom]);
      }
    });
  } catch {
    putBack();
    for (const r of read.slice(from, next)) {
      try {
        await recorder.one(ledger, r);
      } catch (error) {
        refused(r.where, error);
      }
    }
  }
  return next;
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
