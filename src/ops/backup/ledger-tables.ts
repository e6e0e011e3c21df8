// The ledger's tables as the database catalogue describes them, not a hand list, so
// a table a future migration adds is carried too.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** Kysely's own bookkeeping and an interrupted move's marker: not ledger data. */
export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];
export const MOVE_MARKER_TABLE = 'breachdesk_move_incomplete';
const NOT_LEDGER = [...MIGRATION_TABLES, MOVE_MARKER_TABLE];

export interface LedgerTable {
  name: string;
  /** Stored columns (not generated), in table order. */
  columns: string[];
  primaryKey: string[];
  /** Columns that reference the table itself (incidents.merged_into): filled in after every row is in. */
  selfReferences: string[];
  /** Columns with a sequence behind them (identity, serial), and the sequence. */
  sequences: { column: string; sequence: string }[];
}

/** Every ledger table of the current schema, each after the tables it references. */
export async function ledgerTables<DB>(db: Kysely<DB>): Promise<LedgerTable[]> {
  const { rows: tables } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname`.execute(db);
  const names = tables.map((t) => t.name).filter((n) => !NOT_LEDGER.includes(n));
  if (names.length === 0) return [];
  const { rows: columns } = await sql<{ table_name: string; name: string; generated: string; sequence: string | null }>`
    select c.relname as table_name, a.attname as name, a.attgenerated::text as generated,
           pg_get_serial_sequence(quote_ident(c.relname), a.attname) as sequence
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relname in (${sql.join(names)}) and a.attnum > 0 and not a.attisdropped
     order by c.relname, a.attnum`.execute(db);
  const { rows: keys } = await sql<{ table_name: string; columns: string[] }>`
    select c.relname as table_name,
           array(select a.attname::text from unnest(i.indkey::int2[]) with ordinality k(num, pos)
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.num order by k.pos)::text[] as columns
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and i.indisprimary`.execute(db);
  const { rows: references } = await sql<{ table_name: string; references_name: string; columns: string[] }>`
    select c.relname as table_name, r.relname as references_name,
           array(select a.attname::text from unnest(con.conkey) k(num) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num)::text[] as columns
      from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_class r on r.oid = con.confrelid
      join pg_namespace n on n.oid = c.relnamespace
     where con.contype = 'f' and n.nspname = current_schema()`.execute(db);

  const described = new Map<string, LedgerTable>(names.map((name) => [name, {
    name,
    columns: columns.filter((c) => c.table_name === name && c.generated === '').map((c) => c.name),
    primaryKey: keys.find((k) => k.table_name === name)?.columns ?? [],
    selfReferences: references.filter((r) => r.table_name === name && r.references_name === name).flatMap((r) => r.columns),
    sequences: columns.filter((c) => c.table_name === name && c.sequence).map((c) => ({ column: c.name, sequence: c.sequence! })),
  }]));
  const dependsOn = new Map(names.map((name) => [name, new Set(
    references.filter((r) => r.table_name === name && r.references_name !== name && described.has(r.references_name)).map((r) => r.references_name),
  )]));
  return inDependencyOrder(names, dependsOn).map((name) => described.get(name)!);
}

/** Tables with nothing left to wait for first, by name among equals, so the order is the same on every run. */
export function inDependencyOrder(names: string[], dependsOn: Map<string, Set<string>>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const next = [...names].sort().find((n) => !done.has(n) && [...(dependsOn.get(n) ?? [])].every((d) => done.has(d)));
    if (!next) throw new Error(`the tables ${names.filter((n) => !done.has(n)).join(', ')} reference each other in a circle; a backup cannot order them`);
    done.add(next);
    order.push(next);
  }
  return order;
}

/** The last migration applied, or null when the database holds no breachdesk schema. */
export async function schemaVersion<DB>(db: Kysely<DB>): Promise<string | null> {
  const applied = await appliedMigrations(db);
  return applied.at(-1) ?? null;
}

export async function appliedMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const { rows: [present] } = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (!present?.present) return [];
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * A table's rows as text, in an order both PostgreSQL and PGlite agree on (the key's
 * text under the "C" collation), so two databases' checksums compare.
 */
export function selectRows(table: LedgerTable) {
  const values = sql.join(table.columns.map((c) => sql`${sql.ref(c)}::text`));
  const order = table.primaryKey.length > 0 ? table.primaryKey : table.columns;
  return sql<{ r: (string | null)[] }>`
    select array[${values}]::text[] as r from ${sql.table(table.name)}
     order by ${sql.join(order.map((c) => sql`${sql.ref(c)}::text collate "C"`))}`;
}

/** Calls `each` with every row of `table`, read through a cursor (inside the caller's transaction) a page at a time. */
export async function forEachRow<DB>(db: Kysely<DB>, table: LedgerTable, each: (values: (string | null)[]) => Promise<void> | void): Promise<void> {
  await sql`declare breachdesk_rows no scroll cursor for ${selectRows(table)}`.execute(db);
  for (;;) {
    const { rows } = await sql<{ r: (string | null)[] }>`fetch 2000 from breachdesk_rows`.execute(db);
    for (const { r } of rows) await each(r);
    if (rows.length === 0) break;
  }
  await sql`close breachdesk_rows`.execute(db);
}

/** Session settings that make the text forms of values the same on every server. */
export async function settleTextForms<DB>(db: Kysely<DB>): Promise<void> {
  for (const setting of [`set local timezone = 'UTC'`, `set local datestyle = 'ISO, YMD'`, `set local intervalstyle = 'postgres'`,
    `set local bytea_output = 'hex'`, `set local extra_float_digits = 3`]) {
    await sql.raw(setting).execute(db);
  }
}
