// The backup file: gzip'd JSON lines. A header (format, version, schema version,
// tables and their columns), then one line per row, `[table, [value as text…]]`, then
// a trailer with the row count and SHA-256 of each table and a SHA-256 over every line
// before it. Values are PostgreSQL's own text forms (`col::text`), so bytea, json,
// arrays and timestamps read back exactly on PGlite and PostgreSQL alike.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';

export const BACKUP_FORMAT = 'breachdesk-backup';
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupTable {
  name: string;
  /** The stored columns, in the order of each row's values (generated columns are left out: the database computes them). */
  columns: string[];
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** The last migration applied to the ledger backed up. */
  schemaVersion: string;
  takenAt: string;
  /** 'postgres' or 'pglite'. */
  source: string;
  /** In foreign-key order: a table comes after the tables it references. */
  tables: BackupTable[];
}

export interface BackupTrailer {
  end: typeof BACKUP_FORMAT;
  rows: Record<string, number>;
  tableSha256: Record<string, string>;
  /** Over every line before the trailer, newlines included. */
  sha256: string;
}

export type RowValues = (string | null)[];
export type RowLine = [table: string, values: RowValues];

/** Row count and SHA-256 of one table's rows, in the order they are read. */
export class TableDigest {
  rows = 0;
  private readonly hash: Hash = createHash('sha256');
  add(values: RowValues): void {
    this.rows += 1;
    this.hash.update(`${JSON.stringify(values)}\n`);
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

export function isHeader(value: unknown): value is BackupHeader {
  const v = value as Partial<BackupHeader> | null;
  return !!v && typeof v === 'object' && v.format === BACKUP_FORMAT && typeof v.version === 'number'
    && typeof v.schemaVersion === 'string' && Array.isArray(v.tables)
    && v.tables.every((t) => typeof t?.name === 'string' && Array.isArray(t.columns));
}

export function isTrailer(value: unknown): value is BackupTrailer {
  const v = value as Partial<BackupTrailer> | null;
  return !!v && typeof v === 'object' && !Array.isArray(v) && v.end === BACKUP_FORMAT && typeof v.sha256 === 'string'
    && typeof v.rows === 'object' && typeof v.tableSha256 === 'object';
}
