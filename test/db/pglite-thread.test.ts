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

  it('GIVEN a folder that cannot hold a database THEN opening fails with one clear line naming it', async () => {
    const dir = await folder();
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const opening = openDatabase({ kind: 'pglite', dir: file });
    await expect(opening).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(opening).rejects.toThrow(file);
  });
});
