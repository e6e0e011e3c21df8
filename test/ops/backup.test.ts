import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Migrator, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { createPglite, openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { createLedger } from '../../src/ledger.js';
import { readAudit } from '../../src/trust/audit.js';
import { UserError } from '../../src/errors.js';
import { handOverPendingAlerts } from '../../src/ops/backup/hand-over-alerts.js';
import { inDependencyOrder } from '../../src/ops/backup/ledger-tables.js';
import { restoreBackup } from '../../src/ops/backup/restore-backup.js';
import { takeBackup } from '../../src/ops/backup/take-backup.js';
import { databaseUrlLine } from '../../src/ops/backup/backup-text.js';
import { buildLedger, resealed, rowCounts, tableContents } from '../support/backup-ledger.js';
import { backends, freshDatabase, scratchPostgresDatabase } from '../support/databases.js';
import type { Backend } from '../support/databases.js';
import { analyst, submission } from '../support/submissions.js';

const SLOW = { timeout: 120_000 };

/** A database with nothing in it, not even the schema: what restore must build on. */
async function blankDatabase(backend: Backend): Promise<LedgerDatabase> {
  if (backend === 'pglite') {
    const pglite = await createPglite(null);
    const database = await openDatabase({ kind: 'pglite', dir: null }, { pglite });
    return { ...database, close: async () => { await database.close(); await pglite.close(); } };
  }
  const { url, drop } = await scratchPostgresDatabase();
  const database = await openDatabase({ kind: 'postgres', url });
  return { ...database, close: async () => { await database.close(); await drop(); } };
}

async function backUp(database: LedgerDatabase, file: string) {
  return takeBackup(database.pool, { kind: database.location.kind, description: database.description }, createWriteStream(file));
}

const restore = (database: LedgerDatabase, file: string, options = {}) => restoreBackup(database, () => createReadStream(file), file, options);

async function tablesIn(database: LedgerDatabase): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by 1`.execute(database.db);
  return rows.map((r) => r.name);
}

describe('the order tables are copied in', () => {
  it.each([
    [['incidents', 'victims', 'audit_log'], { incidents: ['victims'] }, ['audit_log', 'victims', 'incidents']],
    [['c', 'b', 'a'], { a: ['b'], b: ['c'] }, ['c', 'b', 'a']],
  ])('GIVEN %j referencing %j THEN each comes after what it references: %j', (names, refs, order) => {
    const dependsOn = new Map(Object.entries(refs).map(([k, v]) => [k, new Set(v)]));
    expect(inDependencyOrder(names, dependsOn)).toEqual(order);
  });

  it('GIVEN two tables that reference each other THEN it says so rather than guess', () => {
    expect(() => inDependencyOrder(['a', 'b'], new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toThrow(/a, b reference each other/);
  });

  it.each([
    ['postgres://breachdesk@db.internal/breachdesk', 'DATABASE_URL=postgres://breachdesk@db.internal/breachdesk'],
    ['postgres://breachdesk:s3cret@db.internal:5433/ledger?sslmode=require', 'DATABASE_URL=postgres://breachdesk:<password>@db.internal:5433/ledger?sslmode=require'],
  ])('GIVEN --to %s THEN the line to set is %s (never the password)', (url, line) => {
    expect(databaseUrlLine(url)).toBe(line);
  });
});

describe('backup and restore of a ledger on PGlite', () => {
  let dir: string;
  let source: LedgerDatabase;
  let file: string;
  let pendingIncident: string;
  let summary: Awaited<ReturnType<typeof backUp>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-backup-'));
    source = await freshDatabase('pglite');
    ({ pendingIncident } = await buildLedger(source));
    file = path.join(dir, 'ledger.jsonl.gz');
    summary = await backUp(source, file);
  }, 120_000);
  afterAll(async () => {
    await source.close();
    await rm(dir, { recursive: true, force: true });
  });

  const targets: LedgerDatabase[] = [];
  afterEach(async () => {
    for (const t of targets.splice(0)) await t.close();
  });

  it('GIVEN the ledger WHEN backed up THEN every table is in the file with its schema version, rows counted by kind', SLOW, async () => {
    expect(summary.schemaVersion).toBe(Object.keys(migrations).sort().at(-1));
    expect(summary.rows).toEqual(await rowCounts(source.db));
    for (const table of ['incidents', 'incident_revisions', 'audit_log', 'alert_subscriptions', 'watches', 'channel_clearances', 'alert_deliveries', 'victims']) {
      expect(summary.rows[table], table).toBeGreaterThan(0);
    }
    // Tables come after those they reference.
    const order = Object.keys(summary.rows);
    expect(order.indexOf('victims')).toBeLessThan(order.indexOf('incidents'));
    expect(order.indexOf('incidents')).toBeLessThan(order.indexOf('alert_deliveries'));
  });

  it.each(backends)('GIVEN the backup WHEN restored into an empty %s THEN every table is identical, the audit log intact and new incidents numbered after the old', SLOW, async (backend) => {
    const target = await blankDatabase(backend);
    targets.push(target);
    const restored = await restore(target, file);
    expect(restored.migratedForward).toEqual([]);
    expect(restored.handedOverAlerts).toBe(1);
    // The one change a restore makes: a pending alert counts one attempt, so it is checked with Slack before it is posted.
    const handedOver = await freshCopyWithHandOver(source);
    expect(await tableContents(target.db)).toEqual(handedOver);
    expect(await readAudit(target.db)).toEqual(await readAudit(source.db));
    const pending = await target.db.selectFrom('alert_deliveries').innerJoin('incidents', 'incidents.id', 'alert_deliveries.incident_id')
      .select(['alert_deliveries.status', 'alert_deliveries.attempts', 'alert_deliveries.channel_id']).where('incidents.reference', '=', pendingIncident).execute();
    expect(pending).toContainEqual({ status: 'pending', attempts: 1, channel_id: 'CALERTS1' });

    const ledger = createLedger(target.db, { windowDays: 365 });
    const later = await ledger.report(submission({ victim: { name: 'Lakeview School District', country: 'US', region: 'MI', isNew: true }, startDate: '2024-02', vendor: undefined, summary: 'Student records stolen.', sources: ['https://example.org/lakeview'] }), analyst, { alerts: false });
    const { max } = await target.db.selectFrom('incidents').select((eb) => eb.fn.max('id').as('max')).where('id', '<>', later.incident.id).executeTakeFirstOrThrow();
    expect(later.incident.id).toBeGreaterThan(Number(max));
  });

  it('GIVEN a migrated, empty PGlite (as `breachdesk migrate` leaves one) THEN the backup restores into it too', SLOW, async () => {
    const target = await freshDatabase('pglite');
    targets.push(target);
    const restored = await restore(target, file);
    expect(restored.rows).toEqual(await rowCounts(source.db));
  });

  /** The source as it reads once its pending alerts are handed over too, without changing the source. */
  async function freshCopyWithHandOver(database: LedgerDatabase) {
    return database.db.transaction().execute(async (trx) => {
      await handOverPendingAlerts<Database>(trx);
      const contents = await tableContents<Database>(trx);
      // Thrown to roll the hand-over back: the source stays as it was.
      throw Object.assign(new Error('rolled back'), { contents });
    }).catch((error: { contents?: unknown }) => {
      if (!error.contents) throw error as Error;
      return error.contents;
    });
  }

  it.each(backends)('GIVEN a target on %s that holds a ledger THEN restore refuses it and changes nothing; with replace it is replaced', SLOW, async (backend) => {
    const target = await blankDatabase(backend);
    targets.push(target);
    await restore(target, file);
    const before = await tableContents(target.db);
    await expect(restore(target, file)).rejects.toMatchObject({ code: 'target_not_empty', message: expect.stringMatching(/is not empty .*--replace/) as string });
    expect(await tableContents(target.db)).toEqual(before);
    await restore(target, file, { replace: true });
    expect(await tableContents(target.db)).toEqual(before);
  });

  it('GIVEN a file that is not a backup, one cut short, one changed, or one of a newer schema THEN one sentence each, and the target is left blank', SLOW, async () => {
    const target = await blankDatabase('pglite');
    targets.push(target);
    const bytes = await readFile(file);
    const cases: [string, Buffer | null, string, RegExp][] = [
      ['notes.txt', Buffer.from('just some notes\n'), 'not_a_backup', /is not a breachdesk backup/],
      ['notes.json.gz', gzipSync('{"hello":"world"}\n'), 'not_a_backup', /is not a breachdesk backup/],
      ['cut.jsonl.gz', bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'backup_damaged', /damaged backup: it was cut short/],
      ['headless.jsonl.gz', gzipSync(gunzipSync(bytes).toString('utf8').split('\n').slice(0, -2).join('\n')), 'backup_damaged', /cut short/],
      ['changed.jsonl.gz', gzipSync(gunzipSync(bytes).toString('utf8').replace('Ransomware at the harbour office.', 'Ransomware at the harbour office!')), 'backup_damaged', /checksum does not match/],
    ];
    for (const [name, content, code, message] of cases) {
      const bad = path.join(dir, name);
      await writeFile(bad, content!);
      const error = await restore(target, bad).then(() => null, (e: unknown) => e);
      expect(error, name).toBeInstanceOf(UserError);
      expect(error, name).toMatchObject({ code, message: expect.stringMatching(message) as string });
      expect((error as Error).message.split('\n'), name).toHaveLength(1);
    }
    const newer = path.join(dir, 'newer.jsonl.gz');
    await resealed(file, newer, ([header, ...rows]) => [{ ...(header as object), schemaVersion: '2099-01-01-999-from-the-future' }, ...rows]);
    await expect(restore(target, newer)).rejects.toMatchObject({ code: 'schema_ahead', message: expect.stringMatching(/newer breachdesk \(schema 2099-01-01-999-from-the-future\); this one knows up to 20/) as string });
    expect(await tablesIn(target)).toEqual([]);
  });

  it('GIVEN rows that do not fit the schema they claim (checksums resealed) THEN nothing stays in the target', SLOW, async () => {
    const target = await blankDatabase('pglite');
    targets.push(target);
    const broken = path.join(dir, 'broken.jsonl.gz');
    // Every row checks out, but one victim id is referenced by an incident and missing: the foreign key refuses it.
    await resealed(file, broken, (lines) => lines.filter((l) => !(Array.isArray(l) && l[0] === 'victims' && (l[1] as string[])[0] === '1')));
    await expect(restore(target, broken)).rejects.toMatchObject({ code: 'backup_damaged', message: expect.stringMatching(/does not fit schema .*foreign key.*Nothing was restored\.$/) as string });
    expect(await tablesIn(target)).toEqual([]);
  });
});

describe('a backup of an older schema', () => {
  it('GIVEN a ledger at migration 009 THEN restore builds that schema, loads it and migrates forward', SLOW, async () => {
    const pglite = await createPglite(null);
    const old = await openDatabase({ kind: 'pglite', dir: null }, { pglite });
    const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-old-backup-'));
    const target = await blankDatabase('pglite');
    try {
      const migrator = new Migrator({ db: old.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
      const { error } = await migrator.migrateTo('2026-11-29-009-one-event-many-reports');
      expect(error).toBeUndefined();
      await sql`insert into victims (name, normalized_name, core_name, country) values ('City of Odessa', 'odessa city', 'odessa', 'US')`.execute(old.db);
      const file = path.join(dir, 'old.jsonl.gz');
      expect((await backUp(old, file)).schemaVersion).toBe('2026-11-29-009-one-event-many-reports');
      const restored = await restore(target, file);
      expect(restored.schemaVersion).toBe('2026-11-29-009-one-event-many-reports');
      expect(restored.migratedForward).toContain('2026-11-29-010-alert-claims');
      expect(restored.migratedForward.at(-1)).toBe(Object.keys(migrations).sort().at(-1));
      expect(await target.db.selectFrom('victims').select(['id', 'name']).execute()).toEqual([{ id: 1, name: 'City of Odessa' }]);
    } finally {
      await old.close();
      await pglite.close();
      await target.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.each(backends)('values that must read back exactly, PGlite to %s', (backend) => {
  it('GIVEN bytea, json, jsonb, timestamps, floats, arrays and intervals THEN the restored text of each is the original\'s', SLOW, async () => {
    const source = await freshDatabase('pglite');
    const target = await blankDatabase(backend);
    const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-values-'));
    // A table of a future migration: found in the catalogue, carried like any other.
    const probe = `create table value_probe (id integer primary key, b bytea, j json, jb jsonb, t timestamptz, ts timestamp, d date, f float8, n numeric, a text[], i interval, x text)`;
    try {
      await sql.raw(probe).execute(source.db);
      await sql.raw(`insert into value_probe values
        (1, '\\x00ff10'::bytea, '{"b": 1,  "a": [1, 2.50]}', '{"z": "ü\\u00e9", "a": null}', '2020-04-15 13:45:12.123456+02', '2020-04-15 13:45:12.5', '2019-08-27', 0.1, 12345678901234567890.000001, '{"x,y","a \\"quote\\"",NULL}', '1 year 2 mons 3 days 04:05:06.7', e'line one\\nline two \\u2014 “quoted”'),
        (2, null, null, null, 'infinity', '-infinity', 'infinity', 'NaN', 'NaN', '{}', null, ''),
        (3, ''::bytea, '[]', '{}', '1970-01-01 00:00:00+00', '0001-01-01 00:00:00', '0001-01-01', 1.7976931348623157e308, 0, '{NULL}', '-1 day', ' ')`).execute(source.db);
      const file = path.join(dir, 'values.jsonl.gz');
      await backUp(source, file);
      await migrateTargetTo(target, probe);
      await restore(target, file);
      const read = (db: LedgerDatabase) => db.db.transaction().execute(async (trx) => {
        await sql`set local timezone = 'UTC'`.execute(trx);
        return (await sql`select id, b::text, j::text, jb::text, t::text, ts::text, d::text, f::text, n::text, a::text, i::text, x from value_probe order by id`.execute(trx)).rows;
      });
      expect(await read(target)).toEqual(await read(source));
      expect((await read(target))[0]).toMatchObject({ b: '\\x00ff10', j: '{"b": 1,  "a": [1, 2.50]}', t: '2020-04-15 11:45:12.123456+00' });
    } finally {
      await source.close();
      await target.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The target has the probe table (empty) beside the schema restore builds; restore fills it. */
async function migrateTargetTo(target: LedgerDatabase, probe: string): Promise<void> {
  await sql.raw(probe).execute(target.db);
}

describe.runIf(process.env.TEST_DATABASE_URL)('a backup of PostgreSQL while the ledger is being written', () => {
  it('GIVEN reports committing throughout the backup THEN the file holds one moment: every incident with its audit entry and sources, and it restores', SLOW, async () => {
    const source = await freshDatabase('postgres');
    const target = await blankDatabase('pglite');
    const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-online-'));
    try {
      const ledger = createLedger(source.db, { windowDays: 365 });
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          await ledger.report(submission({ victim: { name: `Harbour District ${written + 1}`, country: 'US', region: 'WA', isNew: true }, startDate: '2024-01', vendor: undefined, summary: 'Ransomware at the district office.', sources: [`https://example.org/district-${written + 1}`] }), analyst, { alerts: false });
          written += 1;
        }
      })();
      while (written < 5) await new Promise((r) => setTimeout(r, 10));
      const file = path.join(dir, 'online.jsonl.gz');
      const summary = await backUp(source, file);
      const during = written;
      while (written < during + 5) await new Promise((r) => setTimeout(r, 10));
      writing = false;
      await writer;

      expect(summary.rows.incidents).toBeGreaterThanOrEqual(5);
      expect(summary.rows.incidents).toBeLessThan(written);
      await restore(target, file);
      const incidents = await target.db.selectFrom('incidents').select('reference').orderBy('reference').execute();
      const reported = await target.db.selectFrom('audit_log').select('subject as reference').where('action', '=', 'incident.report').orderBy('subject').execute();
      expect(reported).toEqual(incidents);
      expect(await target.db.selectFrom('incident_sources').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: incidents.length });
    } finally {
      await source.close();
      await target.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
