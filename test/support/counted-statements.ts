import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/**
 * `db` counting the statements sent through it (each result is one round trip):
 * `counted.statements` is how many since the last `reset()`.
 */
export function countingStatements(db: Kysely<Database>): { db: Kysely<Database>; readonly statements: number; reset: () => void } {
  let statements = 0;
  const counted = db.withPlugin({ transformQuery: (args) => args.node, transformResult: (args) => { statements += 1; return Promise.resolve(args.result); } });
  return { db: counted, get statements() { return statements; }, reset: () => { statements = 0; } };
}
