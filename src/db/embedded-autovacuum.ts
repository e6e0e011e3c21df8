import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from './schema.js';

// PostgreSQL's own defaults (autovacuum_naptime, autovacuum_*_threshold and *_scale_factor):
// embedded PGlite has no autovacuum launcher, so the bot does its work by the same rule.
const NAPTIME_MS = 60_000;
const ANALYZE = { threshold: 50, scale: 0.1 };
const VACUUM = { threshold: 50, scale: 0.2 };
const VACUUM_INSERTS = { threshold: 1000, scale: 0.2 };

/** A table autovacuum would see to now, and what it would do. */
export interface TableDue {
  table: string;
  vacuum: boolean;
  analyze: boolean;
}

/**
 * The tables of the ledger's schema autovacuum would vacuum or analyze now, by its
 * default rule: analyze when a tenth of a table (and 50 rows) changed since its last
 * analyze, or it holds rows and was never analyzed; vacuum when a fifth is dead rows,
 * or a fifth (and 1,000 rows) was inserted since its last vacuum. The counts come from
 * the cumulative statistics, which a backend reports about a second after it wrote.
 */
export async function tablesDue(db: Kysely<Database>): Promise<TableDue[]> {
  const { rows } = await sql<TableDue>`
    select s.relname as "table",
      s.n_dead_tup > ${VACUUM.threshold} + ${VACUUM.scale} * greatest(c.reltuples, 0)
        or s.n_ins_since_vacuum > ${VACUUM_INSERTS.threshold} + ${VACUUM_INSERTS.scale} * greatest(c.reltuples, 0) as vacuum,
      s.n_mod_since_analyze > ${ANALYZE.threshold} + ${ANALYZE.scale} * greatest(c.reltuples, 0)
        or (c.reltuples < 0 and pg_relation_size(c.oid) > 0) as analyze
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()
    order by s.relname`.execute(db);
  return rows.filter((r) => r.vacuum || r.analyze);
}

/** Vacuums and analyzes, one table at a time, what autovacuum would now; returns what it saw to. */
export async function autovacuumOnce(db: Kysely<Database>): Promise<TableDue[]> {
  const due = await tablesDue(db);
  for (const { table, vacuum } of due) {
    // One statement either way: VACUUM (ANALYZE) does both in one pass over the table.
    await (vacuum ? sql`vacuum (analyze) ${sql.table(table)}` : sql`analyze ${sql.table(table)}`).execute(db);
  }
  return due;
}

export interface EmbeddedAutovacuum {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Autovacuum for embedded PGlite, which has none: at start and every minute, the
 * tables PostgreSQL's autovacuum would see to are vacuumed or analyzed. Without it a
 * ledger filled by chat reports keeps an empty ledger's planner statistics for ever: at
 * 100,000 incidents never analyzed a lookup took 790–910 ms at p95, 53 ms once analyzed.
 * A PostgreSQL server needs none of this: its own autovacuum runs.
 */
export function createEmbeddedAutovacuum(options: { db: Kysely<Database>; log: Logger; naptimeMs?: number }): EmbeddedAutovacuum {
  const { db, log } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let warned = false;
  const pass = () => {
    // A pass still under way (a large table's vacuum) is not started twice.
    running ??= autovacuumOnce(db).then(
      (due) => {
        if (due.length > 0) log.debug('embedded autovacuum', { tables: due.map((t) => `${t.table}${t.vacuum ? ' (vacuum)' : ''}`).join(', ') });
      },
      (error: unknown) => {
        // Once: the ledger still answers, only its plans may age.
        if (!warned) log.warn('embedded autovacuum failed; planner statistics may go stale', { error });
        warned = true;
      },
    ).finally(() => (running = null));
  };
  return {
    start() {
      pass();
      timer = setInterval(pass, options.naptimeMs ?? NAPTIME_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
