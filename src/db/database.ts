import { mkdir } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import type { LogEvent } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DatabaseUnavailableError } from '../errors.js';
import type { Database } from './schema.js';

// Both backends go through pg's parsers, so set them once: a `date` stays the
// 'YYYY-MM-DD' text it is (no local-midnight Date), and int8 counts are numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export const DEFAULT_PGLITE_DIR = './data/pglite';

/** Where the ledger lives, parsed from `DATABASE_URL`. */
export type DatabaseLocation =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dir: string | null };

export interface LedgerDatabase {
  db: Kysely<Database>;
  /** The pg pool underneath (for the benchmark's raw-SQL floor and nothing else). */
  pool: pg.Pool;
  location: DatabaseLocation;
  /** A one-line description safe to print: no password. */
  description: string;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (delivered when the notifying
   * transaction commits). Returns the function that stops listening.
   */
  listen: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * @example
 *   databaseLocation(undefined)           // { kind: 'pglite', dir: './data/pglite' }
 *   databaseLocation('pglite:memory')     // { kind: 'pglite', dir: null }
 *   databaseLocation('postgres://u@h/db') // { kind: 'postgres', url: ... }
 */
export function databaseLocation(url: string | undefined): DatabaseLocation {
  if (!url) return { kind: 'pglite', dir: DEFAULT_PGLITE_DIR };
  if (url.startsWith('pglite:')) {
    const rest = url.slice('pglite:'.length);
    return { kind: 'pglite', dir: rest === 'memory' || rest === '' ? null : rest };
  }
  return { kind: 'postgres', url };
}

export function describeLocation(location: DatabaseLocation): string {
  if (location.kind === 'pglite') {
    return location.dir ? `embedded PGlite in ${location.dir}` : 'embedded PGlite in memory (nothing is kept)';
  }
  const u = new URL(location.url);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** Opens the ledger. For PostgreSQL it checks the server answers before returning. */
export async function openDatabase(
  location: DatabaseLocation,
  options: { pglite?: PGlite; log?: (event: LogEvent) => void } = {},
): Promise<LedgerDatabase> {
  const description = describeLocation(location);
  if (location.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: location.url, max: 10, connectionTimeoutMillis: 5_000 });
    // A broken idle connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(`cannot reach ${description}: ${reason(error)}`);
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) });
    return { db, pool, location, description, listen: (channel, onNotify) => listenOnServer(location.url, channel, onNotify), close: () => db.destroy() };
  }

  const pglite = options.pglite ?? (await createPglite(location.dir));
  // PGlite has one backend; the pg-compatible pool in front of it holds one
  // connection and serializes work, exactly what a single backend needs.
  const pool = new pg.Pool(createPgConfig(pglite));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) });
  return {
    db,
    pool,
    location,
    description,
    // One backend: PGlite's own listener hears the NOTIFY of work done through the pool.
    async listen(channel, onNotify) {
      const stop = await pglite.listen(channel, () => onNotify());
      return () => stop();
    },
    async close() {
      await db.destroy();
      if (!options.pglite) await pglite.close();
    },
  };
}

export async function createPglite(dir: string | null, loadDataDir?: Blob): Promise<PGlite> {
  if (dir) await mkdir(dir, { recursive: true });
  try {
    return await PGlite.create({
      ...(dir ? { dataDir: dir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      extensions: { pg_trgm },
    });
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot open embedded PGlite${dir ? ` in ${dir}` : ''}: ${reason(error)}`);
  }
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message || String(code);
  }
  return String(error);
}

/**
 * LISTEN on a connection of its own (a pool connection would be handed to other
 * work). A lost connection is reopened after a pause; until then the caller's own
 * polling keeps things moving.
 */
async function listenOnServer(url: string, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify();
    });
    c.on('error', () => reconnect());
    await c.connect();
    await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    client = c;
  };
  const reconnect = () => {
    if (stopped || retry) return;
    void client?.end().catch(() => undefined);
    client = null;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(() => reconnect());
    }, 2_000);
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
