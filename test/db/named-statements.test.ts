import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseLocation, openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createHash } from 'node:crypto';
import { MAX_PER_CONNECTION, statementName } from '../../src/db/named-statements.js';
import { backends, freshDatabase } from '../support/databases.js';

// Statements with parameters are prepared once per connection and then reused
// (src/db/named-statements.ts). What must hold: the same answers as unnamed
// statements, a bounded number per connection, and a way back when another process
// changes a table under a prepared plan. Only on a PostgreSQL server: PGlite's one
// backend would keep a name after the client that prepared it is gone.
describe('statement names', () => {
  it('GIVEN a text named before, and many others since THEN its name is the same, the hash of its text', () => {
    const text = 'select $1::int as n';
    const expected = `bd_${createHash('sha1').update(text).digest('base64url')}`;
    expect(statementName(text)).toBe(expected);
    // Past what is remembered: the names are forgotten, never mixed up.
    const others = Array.from({ length: 600 }, (_, i) => `select $1::int + ${i}`);
    const names = others.map(statementName);
    expect(new Set(names).size).toBe(600);
    expect(statementName(text)).toBe(expected);
    expect(others.map(statementName)).toEqual(names);
    expect(statementName('select $1::int as m')).not.toBe(expected);
  });
});

describe.skipIf(!backends.includes('postgres'))('named prepared statements on PostgreSQL', () => {
  let database: LedgerDatabase;
  beforeEach(async () => {
    database = await freshDatabase('postgres');
  });
  afterEach(async () => {
    await database.close();
  });

  /** The names prepared on the connection a callback runs on. */
  const preparedNames = (run: (db: LedgerDatabase['db']) => Promise<void>) => database.db.connection().execute(async (db) => {
    await run(db);
    const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements order by name`.execute(db);
    return rows;
  });

  it('GIVEN one statement run with different values THEN each answer is its own, and the connection prepared it once', async () => {
    const rows = await preparedNames(async (db) => {
      for (const n of [1, 2, 3]) {
        const { rows: answer } = await sql<{ n: number }>`select ${n}::int * 10 as n`.execute(db);
        expect(answer).toEqual([{ n: n * 10 }]);
      }
    });
    expect(rows.filter((r) => r.statement.includes('* 10 as n'))).toHaveLength(1);
    expect(rows[0]!.name).toMatch(/^bd_/);
  });

  it('GIVEN DATABASE_PREPARED_STATEMENTS=false THEN nothing is prepared, and answers are the same', async () => {
    const unnamed = await openDatabase(databaseLocation((database.location as { url: string }).url, false));
    try {
      const rows = await unnamed.db.connection().execute(async (db) => {
        const { rows: answer } = await sql<{ n: number }>`select ${7}::int * 10 as n`.execute(db);
        expect(answer).toEqual([{ n: 70 }]);
        return (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db)).rows;
      });
      expect(rows).toEqual([]);
    } finally {
      await unnamed.close();
    }
  });

  it('GIVEN a statement without parameters THEN it is not prepared', async () => {
    const rows = await preparedNames(async (db) => {
      await sql`select 42 as answer`.execute(db);
    });
    expect(rows.filter((r) => r.statement.includes('42 as answer'))).toEqual([]);
  });

  it(`GIVEN more than ${MAX_PER_CONNECTION} different statements on one connection THEN it keeps ${MAX_PER_CONNECTION} prepared and still answers the rest`, async () => {
    const rows = await preparedNames(async (db) => {
      for (let i = 0; i < MAX_PER_CONNECTION + 20; i++) {
        const { rows: answer } = await sql<{ n: number }>`select ${i}::int + ${sql.lit(i)} as n`.execute(db);
        expect(answer[0]!.n).toBe(2 * i);
      }
    });
    expect(rows.filter((r) => r.name.startsWith('bd_'))).toHaveLength(MAX_PER_CONNECTION);
  });

  it('GIVEN a table changed under a prepared plan (another process migrated) THEN that statement fails once, and on a new connection it sees the new column', async () => {
    await sql`create table watched (id int primary key, name text)`.execute(database.db);
    await sql`insert into watched values (1, 'Odessa')`.execute(database.db);
    const read = () => sql<Record<string, unknown>>`select * from watched where id = ${1}`.execute(database.db);
    expect((await read()).rows).toEqual([{ id: 1, name: 'Odessa' }]);
    // The change comes from outside this pool's connections.
    const other = new pg.Client({ connectionString: (database.location as { url: string }).url });
    await other.connect();
    await other.query(`alter table watched add column region text default 'TX'`);
    await other.end();
    await expect(read()).rejects.toThrow(/cached plan must not change result type/);
    expect((await read()).rows).toEqual([{ id: 1, name: 'Odessa', region: 'TX' }]);
  });
});
