import { createHash } from 'node:crypto';

/**
 * Statements with parameters go to the database as named prepared statements, one
 * name per SQL text and connection: the server parses and plans a statement once per
 * connection and then reuses its plan, where an unnamed one is planned anew every time.
 * For the ledger's larger statements planning cost more than running (victim resolution:
 * 1.3 ms planning, 0.8 ms running); an import of the VCDB sample went from 156 to 259
 * records a second (bench/README.md).
 *
 * A connection keeps at most MAX_PER_CONNECTION names (lists of different lengths are
 * different texts); after that it sends the rest unnamed. A connection that was told
 * its cached plan no longer fits (another process migrated the schema under it) is
 * dropped by the pool rather than failing again on its next use.
 *
 * Only on a PostgreSQL server: embedded PGlite has one backend for every client, so a
 * name would outlive the client that prepared it and clash with the next one's. There
 * the database's thread names statements itself, for all of them (pglite-prepared.ts).
 */
export const MAX_PER_CONNECTION = 500;

const preparedOn = new WeakMap<object, Set<string>>();

interface NamedStatement { name: string; text: string; values: unknown[] }

/** The statement to send on `connection`: named, or as it came. */
function statementFor(connection: object, text: string, values: unknown[]): NamedStatement | null {
  if (values.length === 0) return null;
  let prepared = preparedOn.get(connection);
  if (!prepared) preparedOn.set(connection, (prepared = new Set()));
  const name = statementName(text);
  if (!prepared.has(name)) {
    if (prepared.size >= MAX_PER_CONNECTION) return null;
    prepared.add(name);
  }
  return { name, text, values };
}

// The names of the texts sent lately: a lookup's few statements are the same texts over
// and over, and hashing each again was one or two per cent of it. Forgotten all at once
// when full (texts differ with the lengths of their lists; the common ones come back).
const NAMES_KEPT = 256;
const names = new Map<string, string>();

/** One name per SQL text, the same on every connection and in every process. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= NAMES_KEPT) names.clear();
    name = `bd_${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name;
}

/** True for the server's refusal to run a prepared plan whose tables changed shape (SQLSTATE 0A000). */
function isStalePlan(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '0A000' && /cached plan must not change result type/.test((error as Error).message);
}

/**
 * Wraps a pg pool client's `query` so that Kysely's statements (text and parameters)
 * go named; `onStale` is told when the connection's plans no longer fit its tables.
 */
export function withNamedStatements<Q extends (...args: unknown[]) => unknown>(connection: object, query: Q, onStale: () => void): Q {
  return ((...args: unknown[]) => {
    const [text, values] = args;
    const named = typeof text === 'string' && Array.isArray(values) ? statementFor(connection, text, values) : null;
    const result = named ? query(named, ...args.slice(2)) : query(...args);
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      if (isStalePlan(error)) {
        preparedOn.delete(connection);
        onStale();
      }
      throw error;
    });
  }) as Q;
}
