import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { DatabaseUnavailableError } from '../../src/errors.js';

// Embedded PGlite as the bot opens it: on a worker thread, behind pg's own protocol parser.
describe('embedded PGlite on its own thread', () => {
  const opened: LedgerDatabase[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    for (const d of opened.splice(0)) await d.close().catch(() => undefined);
    for (const f of folders.splice(0)) await rm(f, { recursive: true, force: true });
  });
  const open = async (dir: string | null) => {
    const database = await openDatabase({ kind: 'pglite', dir });
    opened.push(database);
    return database;
  };
  const folder = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-thread-'));
    folders.push(dir);
    return dir;
  };

  it('GIVEN rows written and the database closed WHEN it is opened again from its folder THEN the rows are there', async () => {
    const dir = await folder();
    const first = await open(dir);
    await sql`create table kept (note text)`.execute(first.db);
    await sql`insert into kept values ('Click2Gov, again')`.execute(first.db);
    await first.close();
    opened.pop();
    const again = await open(dir);
    expect((await sql<{ note: string }>`select note from kept`.execute(again.db)).rows).toEqual([{ note: 'Click2Gov, again' }]);
  });

  // One in-memory database for the rest: each start of PGlite takes seconds.
  let database: LedgerDatabase;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dir: null });
  });
  afterAll(() => database.close());

  it('GIVEN a statement that fails THEN its error carries the SQLSTATE, and a failed transaction leaves nothing behind', async () => {
    const { db } = database;
    await sql`create table once (id int unique)`.execute(db);
    const failed = db.transaction().execute(async (trx) => {
      await sql`insert into once values (1)`.execute(trx);
      await sql`insert into once values (1)`.execute(trx);
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect((await sql<{ n: number }>`select count(*)::int as n from once`.execute(db)).rows).toEqual([{ n: 0 }]);
    await expect(sql`select 1 / 0`.execute(db)).rejects.toMatchObject({ code: '22012' });
  });

  it('GIVEN a listener WHEN a transaction notifies and commits THEN it hears it; after it stops listening, no more', async () => {
    let heard = 0;
    const stop = await database.listen('alerts_due', () => (heard += 1));
    await database.db.transaction().execute(async (trx) => {
      await sql`notify alerts_due`.execute(trx);
      await sql`notify some_other_channel`.execute(trx);
    });
    expect(heard).toBe(1);
    await stop();
    await sql`notify alerts_due`.execute(database.db);
    expect(heard).toBe(1);
  });

  it('GIVEN a long query THEN the calling thread keeps running meanwhile (timers fire before the answer)', async () => {
    const { db } = database;
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    try {
      let ticksWhenAnswered = -1;
      // Enough work to take far longer than one 5 ms tick; in the calling thread it would hold every timer back.
      await sql`select count(*) from generate_series(1, 3000000) g where g % 7 = 0`.execute(db).then(() => (ticksWhenAnswered = ticks));
      expect(ticksWhenAnswered).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
  });

  // Several pool clients are sessions of the one backend: their statements go to its thread
  // without waiting for each other, but a transaction is one session's alone.
  it('GIVEN a session in a transaction THEN another session\'s statement waits for it to end: it neither sees nor joins it, and a rollback takes none of it', async () => {
    const { db, pool } = database;
    await sql`create table alone (id int)`.execute(db);
    const inTransaction = await pool.connect();
    let answered = false;
    try {
      await inTransaction.query('begin');
      await inTransaction.query('insert into alone values (1)');
      const other = sql`insert into alone values (2)`.execute(db).then(() => (answered = true));
      const count = sql<{ n: number }>`select count(*)::int as n from alone`.execute(db);
      // Other sessions' statements are queued, not run, while the transaction is open.
      await inTransaction.query('select pg_sleep(0.05)');
      expect(answered).toBe(false);
      await inTransaction.query('rollback');
      await other;
      expect((await count).rows).toEqual([{ n: 1 }]);
    } finally {
      inTransaction.release();
    }
    expect((await sql<{ id: number }>`select id from alone`.execute(db)).rows).toEqual([{ id: 2 }]);
  });

  it('GIVEN a transaction that failed THEN the others wait until its rollback, and go on after it', async () => {
    const { db, pool } = database;
    const failed = await pool.connect();
    try {
      await failed.query('begin');
      await expect(failed.query('select 1 / 0')).rejects.toMatchObject({ code: '22012' });
      let answered = false;
      const other = sql<{ n: number }>`select 41 + ${1}::int as n`.execute(db).then((r) => ((answered = true), r));
      await expect(failed.query('select 1')).rejects.toMatchObject({ code: '25P02' });
      expect(answered).toBe(false);
      await failed.query('rollback');
      expect((await other).rows).toEqual([{ n: 42 }]);
    } finally {
      failed.release();
    }
  });

  it('GIVEN many statements and transactions from several sessions at once THEN each gets its own answer, and each transaction keeps what it committed alone', async () => {
    const { db, pool } = database;
    await sql`create table kept_apart (id int)`.execute(db);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => sql<{ n: number }>`select ${i}::int * 2 as n`.execute(db)));
    expect(answers.map((a) => a.rows[0]!.n)).toEqual(Array.from({ length: 60 }, (_, i) => i * 2));
    // Half the transactions roll back after writing; were any two one transaction, a rollback would take the other's row too.
    await Promise.all(Array.from({ length: 20 }, (_, i) => db.transaction().execute(async (trx) => {
      await sql`insert into kept_apart values (${i})`.execute(trx);
      await sql`select pg_sleep(0.001)`.execute(trx);
      if (i % 2 === 1) throw new Error('rolled back');
    }).catch(() => undefined)));
    const kept = await sql<{ id: number }>`select id from kept_apart order by id`.execute(db);
    expect(kept.rows.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    expect(pool.totalCount).toBeGreaterThan(1);
  });

  it('GIVEN a folder that cannot hold a database THEN opening fails with one clear line naming it', async () => {
    const dir = await folder();
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const opening = openDatabase({ kind: 'pglite', dir: file });
    await expect(opening).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(opening).rejects.toThrow(file);
  });
});
