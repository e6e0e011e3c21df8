import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { importHibp } from '../../src/interop/hibp.js';
import { backends, freshDatabase } from '../support/databases.js';

// An import records each record all or nothing and goes on past a bad one. These make
// a record fail inside the database — after its victim was written — and at its
// commit, through real triggers.

const breach = (n: number, description = 'The customer database was copied.') => ({
  Name: `Shop${n}`, Title: `Brightwater Shop ${n}`, Domain: `shop${n}.example`, BreachDate: '2019-03-01', AddedDate: '2019-04-01T00:00:00Z',
  PwnCount: 1_000 + n, Description: description, DataClasses: ['Email addresses'], IsVerified: true, IsFabricated: false, IsSpamList: false,
});

describe.each(backends)('an import of many records, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    // A record the database refuses while it is written (after its victim), and one it refuses only at commit.
    await sql`create function refuse_marked() returns trigger language plpgsql as $$
      begin
        if new.description like '%refuse now%' then raise exception 'refused while written'; end if;
        if new.description like '%refuse at commit%' then raise exception 'refused at commit'; end if;
        return new;
      end $$`.execute(database.db);
    await sql`create trigger refuse_now before insert on incidents for each row when (new.description like '%refuse now%') execute function refuse_marked()`.execute(database.db);
    await sql`create constraint trigger refuse_at_commit after insert on incidents deferrable initially deferred for each row
      when (new.description like '%refuse at commit%') execute function refuse_marked()`.execute(database.db);
  });
  afterAll(() => database.close());

  const victimNames = async () => (await database.db.selectFrom('victims').select('name').execute()).map((v) => v.name);

  it('GIVEN many records THEN all are recorded in the source\'s order, progress is told up to the last, and a second import skips them all', async () => {
    const progress: number[] = [];
    const summary = await importHibp(ledger, JSON.stringify(Array.from({ length: 60 }, (_, n) => breach(n))), { onProgress: (done) => progress.push(done) });
    expect(summary).toMatchObject({ imported: 60, invalid: [], skipped: 0 });
    expect(progress).toEqual(Array.from({ length: 60 }, (_, n) => n + 1));
    const references = await database.db.selectFrom('incidents').select(['reference', 'external_id']).orderBy('id').execute();
    expect(references.slice(0, 3).map((r) => r.external_id)).toEqual(['hibp:Shop0', 'hibp:Shop1', 'hibp:Shop2']);
    expect(new Set(references.map((r) => r.reference)).size).toBe(60);

    const again = await importHibp(ledger, JSON.stringify(Array.from({ length: 60 }, (_, n) => breach(n))));
    expect(again).toMatchObject({ imported: 0, skipped: 60, invalid: [] });
  });

  it('GIVEN a record the database refuses after its victim was written THEN that record is named and leaves nothing behind; the records around it are recorded', async () => {
    const records = [breach(1001), breach(1002, 'Please refuse now.'), breach(1003)];
    const summary = await importHibp(ledger, JSON.stringify(records));
    expect(summary.imported).toBe(2);
    expect(summary.invalid).toEqual([{ file: 'hibp[1] Shop1002', reason: expect.stringContaining('refused while written') as unknown }]);
    const names = await victimNames();
    expect(names).toEqual(expect.arrayContaining(['Brightwater Shop 1001', 'Brightwater Shop 1003']));
    expect(names).not.toContain('Brightwater Shop 1002');
  });

  it('GIVEN a record refused only at its commit THEN it is named and leaves nothing behind, and every incident stored has its audit entry', async () => {
    const records = [breach(2001), breach(2002, 'Please refuse at commit.'), breach(2003)];
    const summary = await importHibp(ledger, JSON.stringify(records));
    expect(summary.imported).toBe(2);
    expect(summary.invalid).toEqual([{ file: 'hibp[1] Shop2002', reason: expect.stringContaining('refused at commit') as unknown }]);
    const names = await victimNames();
    expect(names).toEqual(expect.arrayContaining(['Brightwater Shop 2001', 'Brightwater Shop 2003']));
    expect(names).not.toContain('Brightwater Shop 2002');
    const audited = await database.db.selectFrom('audit_log').select('subject').where('action', '=', 'incident.report').execute();
    expect(audited.length).toBe(await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)));
  });
});
