import { mkdir } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import type { LogEvent, PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PglitePgConnection, createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DatabaseUnavailableError } from '../errors.js';
import { withNamedStatements } from './named-statements.js';
import { startPgliteThread } from './pglite-thread.js';
import type { Database } from './schema.js';

// Both backends go through pg's parsers, so set them once: a `date` stays the
// 'YYYY-MM-DD' text it is (no local-midnight Date), and int8 counts are numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export const DEFAULT_PGLITE_DIR = './data/pglite';

/**
 * Pool clients of embedded PGlite as the bot runs it: sessions of its one backend whose
 * statements reach its thread without waiting for each other's answers (pglite-thread.ts);
 * as many as the commands it runs at once (COMMAND_CONCURRENCY).
 */
const PGLITE_SESSIONS = 4;

/** Where the ledger lives, parsed from `DATABASE_URL`. */
export type DatabaseLocation =
  /**
   * `preparedStatements: false` sends every statement unnamed (DATABASE_PREPARED_STATEMENTS):
   * the pool's on a server, and on embedded PGlite its thread's (pglite-prepared.ts).
   */
  | { kind: 'postgres'; url: string; preparedStatements?: boolean }
  | { kind: 'pglite'; dir: string | null; preparedStatements?: boolean };

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
  listen: (channel: string, onNotify: () => void, log?: ListenLog) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** What the LISTEN connection tells about itself when it is lost and back. */
export interface ListenLog {
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
}

/**
 * @example
 *   databaseLocation(undefined)           // { kind: 'pglite', dir: './data/pglite' }
 *   databaseLocation('pglite:memory')     // { kind: 'pglite', dir: null }
 *   databaseLocation('postgres://u@h/db') // { kind: 'postgres', url: ... }
 */
export function databaseLocation(url: string | undefined, preparedStatements = true): DatabaseLocation {
  // The setting is named only when off, so a default location reads as before.
  const located = (location: DatabaseLocation): DatabaseLocation => (preparedStatements ? location : { ...location, preparedStatements });
  if (!url) return located({ kind: 'pglite', dir: DEFAULT_PGLITE_DIR });
  if (url.startsWith('pglite:')) {
    const rest = url.slice('pglite:'.length);
    return located({ kind: 'pglite', dir: rest === 'memory' || rest === '' ? null : rest });
  }
  return located({ kind: 'postgres', url });
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
    // No JIT: a lookup's incidents with their sources and reports are estimated costly
    // enough for the server to compile them, 100–800 ms each time, for a statement that
    // runs in a few milliseconds (PostgreSQL's own advice for short queries).
    const pool = new pg.Pool({ connectionString: location.url, max: 10, connectionTimeoutMillis: 5_000, options: '-c jit=off' });
    // A broken idle connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(`cannot reach ${description}: ${reason(error)}`);
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: unavailableWhenDown(pool, description, location.preparedStatements ?? true) }), ...(options.log ? { log: options.log } : {}) });
    return { db, pool, location, description, listen: (channel, onNotify, log) => listenOnServer(location.url, channel, onNotify, log), close: () => db.destroy() };
  }

  if (!options.pglite) return openPgliteThread(location, description, options.log);
  const pglite = options.pglite;
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
    close: () => db.destroy(),
  };
}

/**
 * Embedded PGlite as the bot runs it: on a thread of its own (pglite-thread.ts), so
 * that queries never hold up the thread that answers Slack and Discord.
 */
async function openPgliteThread(location: DatabaseLocation & { kind: 'pglite' }, description: string, log?: (event: LogEvent) => void): Promise<LedgerDatabase> {
  const { dir } = location;
  if (dir) await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new DatabaseUnavailableError(`cannot open embedded PGlite in ${dir}: ${reason(error)}`);
  });
  const thread = startPgliteThread({ dir, preparedStatements: location.preparedStatements ?? true });
  try {
    await thread.waitReady;
  } catch (error) {
    await thread.close();
    throw error;
  }
  // Each pool client a session of the one backend (pglite-thread.ts), through PGlite's own
  // adapter, which takes anything with PGlite's protocol methods; a session has them.
  class SessionClient extends pg.Client {
    constructor(config: pg.ClientConfig = {}) {
      super({ ...config, connection: new PglitePgConnection({ pglite: thread.session() as unknown as PGlite }) } as pg.ClientConfig);
    }
  }
  const pool = new pg.Pool({ max: PGLITE_SESSIONS, Client: SessionClient });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
  return {
    db,
    pool,
    location,
    description,
    // LISTEN on the one backend; its NOTIFYs come back in the answers to the pool's queries.
    async listen(channel, onNotify) {
      const stop = thread.onNotification((c) => c === channel && onNotify());
      await pool.query(`listen ${pg.escapeIdentifier(channel)}`);
      return async () => {
        stop();
        await pool.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
      };
    },
    async close() {
      await db.destroy();
      await thread.close();
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

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN',
  // SQLSTATE: the server is shutting down, crashed, starting, or has no connection to spare.
  '57P01', '57P02', '57P03', '53300',
]);
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed|terminating connection/i;

/**
 * Whether an error means the server is out of reach (refused, reset, shut down,
 * starting up, SQLSTATE class 08) rather than a query that failed on a live server.
 * The one place pg's connection errors are recognised.
 */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (error instanceof AggregateError && error.errors.some(isConnectionError)) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return CONNECTION_MESSAGES.test(error.message);
}

/**
 * The pool as Kysely sees it, with connection errors turned into
 * DatabaseUnavailableError, so every caller (commands, the alert dispatcher, the
 * CLI) knows an outage from a bug. pg's pool drops a dead connection and opens a new
 * one for the next query: the bot recovers by itself when the server returns.
 * `named`: statements go as named prepared statements (named-statements.ts).
 */
function unavailableWhenDown(pool: pg.Pool, description: string, named: boolean): PostgresPool {
  const translate = (error: unknown): never => {
    throw isConnectionError(error) && !(error instanceof DatabaseUnavailableError)
      ? new DatabaseUnavailableError(`${description} is unavailable: ${reason(error)}`, { cause: error })
      : error;
  };
  return {
    async connect() {
      const client = await pool.connect().catch(translate);
      // The pool listens for errors only on idle connections: one lost while checked out
      // (the server shut down between two queries) would otherwise crash the process.
      let lost = false;
      const onError = () => (lost = true);
      client.on('error', onError);
      const send = (...args: unknown[]): unknown => {
        const result = (client.query as (...a: unknown[]) => unknown)(...args);
        // A cursor is returned as it is; a promise gets its connection errors translated.
        return result instanceof Promise ? result.catch(translate) : result;
      };
      const query = named ? withNamedStatements(client, send, () => (lost = true)) : send;
      const release = (destroy?: boolean) => {
        client.off('error', onError);
        client.release(destroy || lost);
      };
      return { query, release } as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
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
 * work). A lost connection (the server restarted, the network dropped) is reopened
 * with back-off, 0.5 s doubling to 30 s; once back, `onNotify` is called once, since
 * a NOTIFY sent meanwhile was lost. Until then the caller's own polling keeps things
 * moving.
 */
async function listenOnServer(url: string, channel: string, onNotify: () => void, log?: ListenLog): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify();
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await c.end().catch(() => undefined);
      throw error;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
  };
  const lost = (c: pg.Client) => {
    if (stopped || c !== client) return;
    client = null;
    void c.end().catch(() => undefined);
    log?.warn('lost the database connection that listens for new alerts; reconnecting', { channel });
    schedule();
  };
  const schedule = () => {
    if (stopped || retry) return;
    const wait = Math.min(500 * 2 ** failures, 30_000) * (0.8 + Math.random() * 0.4);
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(() => {
        if (!client) return;
        failures = 0;
        log?.info('listening for new alerts again', { channel });
        onNotify();
      }, () => {
        failures += 1;
        schedule();
      });
    }, wait);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
