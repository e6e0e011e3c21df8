import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { importHibp, mapHibpBreach } from '../../src/interop/hibp.js';
import { importRecords } from '../../src/interop/import-records.js';
import { emptySummary } from '../../src/interop/import-summary.js';
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
    // Told as each batch commits: never backwards, ending at the last.
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(60);
    const references = await database.db.selectFrom('incidents').select(['reference', 'external_id']).orderBy('id').execute();
    expect(references.slice(0, 3).map((r) => r.external_id)).toEqual(['hibp:Shop0', 'hibp:Shop1', 'hibp:Shop2']);
    expect(new Set(references.map((r) => r.reference)).size).toBe(60);

    const again = await importHibp(ledger, JSON.stringify(Array.from({ length: 60 }, (_, n) => breach(n))));
    expect(again).toMatchObject({ imported: 0, skipped: 60, invalid: [] });
  });

  it('GIVEN records past the first hundreds (read while earlier ones are written), some invalid, some the database refuses THEN each is named once, in the source\'s order, and the rest are recorded in it', async () => {
    const n = (i: number) => 7000 + i;
    const faults = new Map<number, Partial<ReturnType<typeof breach>>>([
      [10, { BreachDate: '2999-01-01' }], [120, { BreachDate: '2999-01-01' }], [130, { Description: 'Please refuse now.' }],
      [220, { BreachDate: '2999-01-01' }], [230, { Description: 'Please refuse at commit.' }],
    ]);
    const records = Array.from({ length: 250 }, (_, i) => ({ ...breach(n(i)), ...faults.get(i) }));
    const summary = await importHibp(ledger, JSON.stringify(records));
    expect(summary.imported).toBe(245);
    expect(summary.invalid.map((r) => r.file)).toEqual([...faults.keys()].map((i) => `hibp[${i}] Shop${n(i)}`));
    const stored = await database.db.selectFrom('incidents').select('external_id').where('external_id', 'in', records.map((r) => `hibp:${r.Name}`)).orderBy('id').execute();
    expect(stored.map((r) => r.external_id)).toEqual(records.map((r, i) => (faults.has(i) ? null : `hibp:${r.Name}`)).filter((id) => id !== null));
  });

  it('GIVEN an import that fills an empty ledger THEN the planner has statistics of what it filled (embedded PGlite has no autovacuum)', async () => {
    const empty = await freshDatabase(backend);
    try {
      const planned = async () => (await sql<{ relname: string; reltuples: number }>`
        select relname, reltuples::int as reltuples from pg_class where relname in ('victims', 'incidents') order by relname`.execute(empty.db)).rows;
      expect(await planned()).toEqual([{ relname: 'incidents', reltuples: expect.any(Number) as unknown }, { relname: 'victims', reltuples: expect.any(Number) as unknown }]);
      expect((await planned()).every((r) => r.reltuples <= 0)).toBe(true);
      await importHibp(createLedger(empty.db, { windowDays: 365 }), JSON.stringify(Array.from({ length: 300 }, (_, i) => breach(9000 + i))));
      // Analyzed once it had stored 250 records or more: here after its third hundred.
      expect(await planned()).toEqual([{ relname: 'incidents', reltuples: 300 }, { relname: 'victims', reltuples: 300 }]);
    } finally {
      await empty.close();
    }
  });

  it('GIVEN records that lean on earlier ones of the same batch (a victim, an event, a record twice) THEN each sees what the ones before it stored', async () => {
    const account = 'Names and card numbers were copied from the web shop.';
    const summary = await importHibp(ledger, JSON.stringify([
      breach(3001, account),
      breach(3001, account), // the same record twice: unchanged the second time
      { ...breach(3002, account), Title: 'Brightwater Shop 3001', Domain: 'shop3001.example' }, // another source id, the same breach
      breach(3003),
    ]));
    expect(summary).toMatchObject({ imported: 3, skipped: 1, doubleEntries: 1, invalid: [] });
    const rows = await database.db.selectFrom('incidents').select(['external_id', 'victim_id', 'merged_into', 'id'])
      .where('external_id', 'in', ['hibp:Shop3001', 'hibp:Shop3002']).orderBy('id').execute();
    expect(rows.map((r) => r.external_id)).toEqual(['hibp:Shop3001', 'hibp:Shop3002']);
    expect(rows[1]!.victim_id).toBe(rows[0]!.victim_id);
    expect(rows[1]!.merged_into).toBe(rows[0]!.id);
  });

  it('GIVEN records whose victims lean on earlier ones of the batch (the same, a near name, an alias, initials, a core name) THEN the ledger is as if imported one at a time', async () => {
    const named = (n: number, Title: string, Domain: string, BreachDate = '2019-03-01') => ({ ...breach(n), Name: `Lean${n}`, Title, Domain, BreachDate });
    // Imported in two parts: a record that would create its victim twice fails its batch,
    // which is then recorded one record at a time, and that would hide what the rest show.
    const parts = [[
      named(1, 'Larkspur Dental Group', 'larkspur.example'),
      named(2, 'Quillon Games', 'quillon.example'),
      named(3, 'Larkspur Dental Clinic', 'larkspurclinic.example'), // near the first: a new victim, with a note
      named(4, 'quillon.example', 'quillon.example', '2022-01-01'), // the second's alias
      named(5, 'Harbor Valley Medical', 'hvmed.example'),
      named(6, 'HVM', 'hvm.example', '2023-02-01'), // initials of the one before
      named(7, 'Sunfield Orchard Supply', 'sunfield.example'),
    ], [
      named(8, 'City of Pineport', 'pineport.example'),
      named(9, 'Pineport City', 'pineportcity.example', '2020-02-01'), // the same name, another order
      named(10, 'Larkspur Dental Group', 'larkspur.example', '2021-06-01'), // the first's victim, again
    ]];
    const records = parts.flat();
    const ledgerOf = async (db: LedgerDatabase['db']) => ({
      victims: await db.selectFrom('victims').select(['name', 'normalized_name', 'country', 'region']).orderBy('id').execute(),
      aliases: await db.selectFrom('victim_aliases as a').innerJoin('victims as v', 'v.id', 'a.victim_id').select(['v.name', 'a.normalized_alias'])
        .orderBy('v.name').orderBy('a.normalized_alias').execute(),
      incidents: await db.selectFrom('incidents as i').innerJoin('victims as v', 'v.id', 'i.victim_id').leftJoin('incidents as m', 'm.id', 'i.merged_into')
        .select(['i.reference', 'i.external_id', 'v.name', 'm.external_id as merged_into']).where('i.external_id', 'like', 'hibp:Lean%').orderBy('i.id').execute(),
    });
    const atOnce = await freshDatabase(backend);
    const oneByOne = await freshDatabase(backend);
    try {
      const summary = emptySummary();
      for (const part of parts) {
        const { nearMatches } = await importHibp(createLedger(atOnce.db, { windowDays: 365 }), JSON.stringify(part));
        summary.nearMatches.push(...nearMatches);
      }
      const summaries = [];
      for (const record of records) summaries.push(await importHibp(createLedger(oneByOne.db, { windowDays: 365 }), JSON.stringify([record])));
      const stored = await ledgerOf(atOnce.db);
      expect(stored).toEqual(await ledgerOf(oneByOne.db));
      expect(summary.nearMatches.map((m) => m.similarTo)).toEqual(summaries.flatMap((s) => s.nearMatches.map((m) => m.similarTo)));
      // What the records lean on: four of them join victims of records before them, one is only near one.
      expect(stored.victims.map((v) => v.name)).toEqual(['Larkspur Dental Group', 'Quillon Games', 'Larkspur Dental Clinic', 'Harbor Valley Medical', 'Sunfield Orchard Supply', 'City of Pineport']);
      expect(summary.nearMatches).toEqual([expect.objectContaining({ victim: 'Larkspur Dental Clinic', similarTo: ['Larkspur Dental Group'] })]);
    } finally {
      await atOnce.close();
      await oneByOne.close();
    }
  });

  it('GIVEN a batch that fails after records joined and skipped THEN the summary counts each record once, as recorded the second time', async () => {
    const account = 'The order history was read by an outsider.';
    // First, so that one batch holds them all with the record that fails it.
    const records = [
      breach(4100, account),
      { ...breach(4101, account), Title: 'Brightwater Shop 4100', Domain: 'shop4100.example' },
      breach(4100, account),
      breach(4102, 'Please refuse now.'),
      ...Array.from({ length: 20 }, (_, n) => breach(4200 + n)),
    ];
    const summary = await importHibp(ledger, JSON.stringify(records));
    expect(summary).toMatchObject({ imported: 22, skipped: 1, doubleEntries: 1 });
    expect(summary.joined).toHaveLength(1);
    expect(summary.invalid.map((i) => i.file)).toEqual(['hibp[3] Shop4102']);
    const ids = records.map((r) => `hibp:${r.Name}`);
    const stored = await database.db.selectFrom('incidents').select('external_id').where('external_id', 'in', ids).execute();
    expect(stored.map((r) => r.external_id).sort()).toEqual([...new Set(ids)].filter((id) => id !== 'hibp:Shop4102').sort());
  });

  it('GIVEN a record that is not a valid submission THEN it is refused by its field, and the batch around it is recorded', async () => {
    const summary = await importHibp(ledger, JSON.stringify([breach(5001), { ...breach(5002), BreachDate: '2999-01-01' }, breach(5003)]));
    expect(summary.imported).toBe(2);
    expect(summary.invalid).toEqual([{ file: 'hibp[1] Shop5002', reason: expect.stringMatching(/^startDate/) as unknown }]);
  });

  it.each([
    { when: 'while written, after its victim', n: 1000, mark: 'Please refuse now.', reason: 'refused while written' },
    { when: 'only at its commit', n: 2000, mark: 'Please refuse at commit.', reason: 'refused at commit' },
  ])('GIVEN a record the database refuses $when THEN it is named and leaves nothing behind; the records around it are recorded, each with its audit entry', async ({ n, mark, reason }) => {
    const summary = await importHibp(ledger, JSON.stringify([breach(n + 1), breach(n + 2, mark), breach(n + 3)]));
    expect(summary.imported).toBe(2);
    expect(summary.invalid).toEqual([{ file: `hibp[1] Shop${n + 2}`, reason: expect.stringContaining(reason) as unknown }]);
    const names = await victimNames();
    expect(names).toEqual(expect.arrayContaining([`Brightwater Shop ${n + 1}`, `Brightwater Shop ${n + 3}`]));
    expect(names).not.toContain(`Brightwater Shop ${n + 2}`);
    const audited = await database.db.selectFrom('audit_log').select('subject').where('action', '=', 'incident.report').execute();
    expect(audited.length).toBe(await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)));
  });

  it('GIVEN records to read THEN reading gives the event loop a turn after each, so that a database answer waiting is taken between them', async () => {
    // Reading is CPU on the import's thread; a hundred records read in one go held back
    // the server's answers to the records before them (bench/README.md).
    const log: string[] = [];
    const records = Array.from({ length: 5 }, (_, i) => ({
      where: `record ${i}`,
      read: () => {
        if (i === 0) setImmediate(() => log.push('turn'));
        log.push(`read ${i}`);
        return mapHibpBreach(breach(9100 + i));
      },
    }));
    const summary = await importRecords(ledger, records, { platform: 'import', workspace: null, user: 'test' }, emptySummary(), {});
    expect(summary.imported).toBe(5);
    expect(log.slice(0, 3)).toEqual(['read 0', 'turn', 'read 1']);
  });
});
