import { Migrator, sql } from 'kysely';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { migrations } from '../../../migrations/index.js';
import { UserError } from '../../errors.js';
import { TableDigest } from './backup-format.js';
import type { BackupTable, RowValues } from './backup-format.js';
import { handOverPendingAlerts } from './hand-over-alerts.js';
import { MOVE_MARKER_TABLE, appliedMigrations, forEachRow, ledgerTables, settleTextForms } from './ledger-tables.js';
import type { LedgerTable } from './ledger-tables.js';
import { inOneTransaction } from './one-connection.js';
import { backupRows, checkBackup } from './read-backup.js';
import type { CheckedBackup, OpenBackup } from './read-backup.js';

export interface RestoreTarget {
  pool: pg.Pool;
  /** Safe to print: no password. */
  description: string;
}

export interface RestoreOptions {
  /** Empty a target that holds a ledger first (its tables are truncated in the same transaction). */
  replace?: boolean;
  /** Set by a move: the marker it wrote goes with the transaction that fills the target. */
  moveMarker?: boolean;
  /** What to say when the target holds data; defaults to restore's words. */
  notEmptyHint?: string;
}

export interface RestoreSummary {
  /** The backup's schema version. */
  schemaVersion: string;
  /** Migrations applied after the rows were in (a backup of an older schema). */
  migratedForward: string[];
  /** Rows of each table, each checked against the backup's checksum. */
  rows: Record<string, number>;
  tableSha256: Record<string, string>;
  handedOverAlerts: number;
}

/**
 * Restores a backup into an empty database, in one transaction: the schema is
 * brought to the backup's version, the rows go in, each table is read back and
 * compared with the backup's count and checksum, identity sequences continue after
 * the highest id, and a backup of an older schema is migrated forward. Anything
 * wrong and nothing stays in the target. The file is checked whole before the target
 * is touched.
 */
export async function restoreBackup(target: RestoreTarget, open: OpenBackup, name: string, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const { header, trailer } = await checkRestorable(open, name);
  return inOneTransaction(target.pool, 'begin', target.description, async (db) => {
    await settleTextForms(db);
    await mustBeEmpty(db, target.description, options);
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) }, disableTransactions: true });
    await migrated(migrator.migrateTo(header.schemaVersion));
    const tables = new Map((await ledgerTables(db)).map((t) => [t.name, t]));
    for (const table of header.tables) {
      const there = tables.get(table.name);
      const missing = there ? table.columns.filter((c) => !there.columns.includes(c)) : [];
      if (!there || missing.length > 0) {
        throw new UserError(`${name} does not match schema ${header.schemaVersion}: ${there ? `${table.name} has no column ${missing.join(', ')}` : `there is no table ${table.name}`}. Nothing was restored.`, 'backup_damaged');
      }
    }
    await loadRows(db, backupRows(open, name), header.tables, tables).catch((error: unknown) => {
      // Rows that check out against the trailer but not against the schema (a forged trailer, a hand-edited file).
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && /^2[23]/.test(code)) {
        throw new UserError(`${name} does not fit schema ${header.schemaVersion}: ${(error as Error).message}. Nothing was restored.`, 'backup_damaged');
      }
      throw error;
    });
    const rows: Record<string, number> = {};
    const tableSha256: Record<string, string> = {};
    for (const table of header.tables) {
      const digest = await digestOf(db, { ...tables.get(table.name)!, columns: table.columns });
      if (digest.rows !== trailer.rows[table.name] || digest.sha256 !== trailer.tableSha256[table.name]) {
        throw new Error(`the restored rows of ${table.name} differ from the backup (${digest.rows} rows, ${trailer.rows[table.name]} in the backup)`);
      }
      rows[table.name] = digest.rows;
      tableSha256[table.name] = digest.sha256;
    }
    for (const table of tables.values()) await continueSequences(db, table);
    const { applied: migratedForward } = await migrated(migrator.migrateToLatest());
    const handedOverAlerts = await handOverPendingAlerts(db);
    if (options.moveMarker) await sql`drop table ${sql.table(MOVE_MARKER_TABLE)}`.execute(db);
    return { schemaVersion: header.schemaVersion, migratedForward, rows, tableSha256, handedOverAlerts };
  });
}

/** The backup checked whole, and of a schema this breachdesk knows: what to check before a target is opened. */
export async function checkRestorable(open: OpenBackup, name: string): Promise<CheckedBackup> {
  const checked = await checkBackup(open, name);
  const known = Object.keys(migrations).sort();
  if (!known.includes(checked.header.schemaVersion)) {
    throw new UserError(`${name} is from a newer breachdesk (schema ${checked.header.schemaVersion}); this one knows up to ${known.at(-1)}. Restore it with a newer breachdesk.`, 'schema_ahead');
  }
  return checked;
}

/** A table's row count and checksum as the backup computes them. */
export async function digestOf<DB>(db: Kysely<DB>, table: LedgerTable): Promise<{ rows: number; sha256: string }> {
  const digest = new TableDigest();
  await forEachRow(db, table, (r) => digest.add(r));
  return { rows: digest.rows, sha256: digest.hex() };
}

/** Refuses a target that holds a ledger's rows, an interrupted move, or a schema newer than this code. */
export async function mustBeEmpty<DB>(db: Kysely<DB>, description: string, options: RestoreOptions): Promise<void> {
  const { rows: [marker] } = await sql<{ present: boolean }>`select to_regclass(${MOVE_MARKER_TABLE}) is not null as present`.execute(db);
  if (marker?.present && !options.moveMarker) throw interruptedMove(description);
  const unknown = (await appliedMigrations(db)).filter((m) => !Object.hasOwn(migrations, m));
  if (unknown.length > 0) {
    throw new UserError(`${description} has a newer schema than this breachdesk knows (${unknown.at(-1)}); use the newer breachdesk.`, 'schema_ahead');
  }
  const tables = await ledgerTables(db);
  const holding: string[] = [];
  for (const table of tables) {
    const { rows: [some] } = await sql<{ any: boolean }>`select exists (select from ${sql.table(table.name)}) as any`.execute(db);
    if (some?.any) holding.push(table.name);
  }
  if (holding.length === 0) return;
  if (!options.replace) {
    throw new UserError(`${description} is not empty (${holding.slice(0, 4).join(', ')}${holding.length > 4 ? ', …' : ''} hold rows); ${options.notEmptyHint ?? 'restore into an empty database, or give --replace to replace what it holds'}.`, 'target_not_empty');
  }
  await sql`truncate ${sql.join(tables.map((t) => sql.table(t.name)))} restart identity cascade`.execute(db);
}

export function interruptedMove(description: string): UserError {
  return new UserError(`${description} holds an interrupted move: it is incomplete and must not be used. Run the move again with --discard-incomplete, or use another database.`, 'move_incomplete');
}

async function loadRows<DB>(db: Kysely<DB>, rows: AsyncIterable<[string, RowValues]>, headerTables: BackupTable[], tables: Map<string, LedgerTable>): Promise<void> {
  let current: { header: BackupTable; table: LedgerTable; batch: RowValues[]; later: RowValues[] } | undefined;
  const flush = async () => {
    if (!current || current.batch.length === 0) return;
    const { header, batch } = current;
    await sql`insert into ${sql.table(header.name)} (${sql.join(header.columns.map((c) => sql.ref(c)))}) overriding system value
      values ${sql.join(batch.map((values) => sql`(${sql.join(values)})`))}`.execute(db);
    current.batch = [];
  };
  const finish = async () => {
    await flush();
    if (current) await fillSelfReferences(db, current.header, current.table, current.later);
  };
  for await (const [name, row] of rows) {
    let values = row;
    if (current?.header.name !== name) {
      await finish();
      const header = headerTables.find((t) => t.name === name)!;
      current = { header, table: tables.get(name)!, batch: [], later: [] };
    }
    const { header, table } = current;
    // A row may reference one of its table that comes later: the reference is set once all are in.
    const self = table.selfReferences.map((c) => header.columns.indexOf(c)).filter((i) => i >= 0 && values[i] !== null);
    if (self.length > 0) {
      current.later.push(values);
      values = values.map((v, i) => (self.includes(i) ? null : v));
    }
    current.batch.push(values);
    if (current.batch.length >= Math.max(1, Math.floor(20_000 / header.columns.length))) await flush();
  }
  await finish();
}

async function fillSelfReferences<DB>(db: Kysely<DB>, header: BackupTable, table: LedgerTable, rows: RowValues[]): Promise<void> {
  if (rows.length === 0) return;
  if (table.primaryKey.length === 0) throw new Error(`${table.name} references itself but has no primary key`);
  for (const values of rows) {
    const at = (column: string) => values[header.columns.indexOf(column)] ?? null;
    const set = table.selfReferences.filter((c) => at(c) !== null).map((c) => sql`${sql.ref(c)} = ${at(c)}`);
    await sql`update ${sql.table(table.name)} set ${sql.join(set)} where ${sql.join(table.primaryKey.map((k) => sql`${sql.ref(k)} = ${at(k)}`), sql` and `)}`.execute(db);
  }
}

/** Identity and serial columns go on after the highest restored value, not from 1. */
async function continueSequences<DB>(db: Kysely<DB>, table: LedgerTable): Promise<void> {
  for (const { column, sequence } of table.sequences) {
    await sql`select setval(${sequence}::regclass, coalesce((select max(${sql.ref(column)}) from ${sql.table(table.name)}), 0) + 1, false)`.execute(db);
  }
}

async function migrated(run: ReturnType<Migrator['migrateToLatest']>): Promise<{ applied: string[] }> {
  const { error, results = [] } = await run;
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
  return { applied: results.filter((r) => r.status === 'Success' && r.direction === 'Up').map((r) => r.migrationName) };
}
