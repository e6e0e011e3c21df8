import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { UserError } from '../../errors.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, TableDigest } from './backup-format.js';
import type { BackupHeader, BackupTrailer } from './backup-format.js';
import { forEachRow, ledgerTables, schemaVersion, settleTextForms } from './ledger-tables.js';
import { inOneTransaction } from './one-connection.js';

export interface BackupSummary {
  schemaVersion: string;
  /** Rows of each table, in the order they were written. */
  rows: Record<string, number>;
  tableSha256: Record<string, string>;
}

/**
 * Writes a consistent snapshot of the whole ledger to `out`: every table read in one
 * REPEATABLE READ, READ ONLY transaction, so a bot that keeps working meanwhile
 * neither waits nor shows up half in the file.
 */
export async function takeBackup(pool: pg.Pool, source: { kind: string; description: string }, out: Writable): Promise<BackupSummary> {
  const gzip = createGzip();
  gzip.pipe(out);
  const whole = createHash('sha256');
  const write = async (line: string) => {
    whole.update(line);
    if (!gzip.write(line)) await once(gzip, 'drain');
  };
  let summary: BackupSummary;
  try {
    summary = await inOneTransaction(pool, 'begin isolation level repeatable read read only', source.description, (db) => writeSnapshot(db, source, write));
  } catch (error) {
    gzip.destroy();
    out.destroy();
    throw error;
  }
  const trailer: BackupTrailer = { end: BACKUP_FORMAT, rows: summary.rows, tableSha256: summary.tableSha256, sha256: whole.digest('hex') };
  gzip.end(`${JSON.stringify(trailer)}\n`);
  await finished(out);
  return summary;
}

/** The header and every row, as this transaction sees them. */
async function writeSnapshot<DB>(db: Kysely<DB>, source: { kind: string; description: string }, write: (line: string) => Promise<void>): Promise<BackupSummary> {
  await settleTextForms(db);
  const version = await schemaVersion(db);
  if (!version) throw new UserError(`${source.description} holds no breachdesk ledger (no migration has been applied); nothing to back up.`);
  const tables = await ledgerTables(db);
  const header: BackupHeader = {
    format: BACKUP_FORMAT, version: BACKUP_FORMAT_VERSION, schemaVersion: version, takenAt: new Date().toISOString(), source: source.kind,
    tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
  };
  await write(`${JSON.stringify(header)}\n`);
  const rows: Record<string, number> = {};
  const tableSha256: Record<string, string> = {};
  for (const table of tables) {
    const digest = new TableDigest();
    await forEachRow(db, table, async (r) => {
      digest.add(r);
      await write(`${JSON.stringify([table.name, r])}\n`);
    });
    rows[table.name] = digest.rows;
    tableSha256[table.name] = digest.hex();
  }
  return { schemaVersion: version, rows, tableSha256 };
}
