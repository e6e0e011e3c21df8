import { Readable, Writable } from 'node:stream';
import { sql } from 'kysely';
import { handOverPendingAlerts } from './hand-over-alerts.js';
import { MOVE_MARKER_TABLE, settleTextForms } from './ledger-tables.js';
import { inOneTransaction } from './one-connection.js';
import { interruptedMove, mustBeEmpty, restoreBackup } from './restore-backup.js';
import type { RestoreSummary, RestoreTarget } from './restore-backup.js';
import { takeBackup } from './take-backup.js';
import type { BackupSummary } from './take-backup.js';

export interface MoveSource extends RestoreTarget {
  kind: string;
}

export interface MoveSummary {
  snapshot: BackupSummary;
  restored: RestoreSummary;
  /** Pending alerts of the source that will ask the platform before posting; null when the source could not be updated. */
  handedOverAtSource: number | null;
}

const NOT_EMPTY = 'move needs an empty database (one that `breachdesk migrate` alone has touched is fine)';

/**
 * Copies the whole ledger to an empty database and checks it there, table by table
 * (row count and checksum against the source's snapshot). A marker table is
 * committed in the target first and dropped by the transaction that fills it, so a
 * move killed midway leaves the target recognisably incomplete (and refused), never a
 * ledger that looks whole. Alerts pending at the move are handed over on both sides:
 * whichever side delivers second finds the post and does not repeat it.
 */
export async function moveLedger(source: MoveSource, target: RestoreTarget, options: { discardIncomplete?: boolean } = {}): Promise<MoveSummary> {
  await inOneTransaction(target.pool, 'begin', target.description, async (db) => {
    const { rows: [marker] } = await sql<{ present: boolean }>`select to_regclass(${MOVE_MARKER_TABLE}) is not null as present`.execute(db);
    if (marker?.present && !options.discardIncomplete) throw interruptedMove(target.description);
    // An interrupted move's transaction never committed: the marker is all it left.
    if (marker?.present) await sql`drop table ${sql.table(MOVE_MARKER_TABLE)}`.execute(db);
    await mustBeEmpty(db, target.description, { notEmptyHint: NOT_EMPTY });
  });

  const chunks: Buffer[] = [];
  const snapshot = await takeBackup(source.pool, source, new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  }));
  const bytes = Buffer.concat(chunks);

  await inOneTransaction(target.pool, 'begin', target.description, async (db) => {
    await sql`create table ${sql.table(MOVE_MARKER_TABLE)} (began_at timestamptz not null default now(), source text not null)`.execute(db);
    await sql`insert into ${sql.table(MOVE_MARKER_TABLE)} (source) values (${source.description})`.execute(db);
  });
  let restored: RestoreSummary;
  try {
    restored = await restoreBackup(target, () => Readable.from([bytes]), `the snapshot of ${source.description}`, { moveMarker: true, notEmptyHint: NOT_EMPTY });
  } catch (error) {
    // Refused or failed, not killed: the target is left as it was found.
    await target.pool.query(`drop table if exists ${MOVE_MARKER_TABLE}`).catch(() => undefined);
    throw error;
  }
  for (const [table, rows] of Object.entries(snapshot.rows)) {
    if (restored.rows[table] !== rows || restored.tableSha256[table] !== snapshot.tableSha256[table]) {
      throw new Error(`after the move ${table} differs from the source`);
    }
  }
  // The target is complete by now: a source that fails here does not undo the move, it is only reported.
  const handedOverAtSource = await inOneTransaction(source.pool, 'begin', source.description, async (db) => {
    await settleTextForms(db);
    return handOverPendingAlerts(db);
  }).catch(() => null);
  return { snapshot, restored, handedOverAtSource };
}

