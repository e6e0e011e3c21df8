import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { databaseDrafts } from '../../src/drafts/database-drafts.js';
import { backends, freshDatabase } from '../support/databases.js';

describe.each(backends)('report drafts kept in the database, on %s', (backend) => {
  let database: LedgerDatabase;
  beforeEach(async () => {
    database = await freshDatabase(backend);
  });
  afterEach(async () => {
    await database.close();
  });

  const expire = (id: string) => database.db.updateTable('form_drafts').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('id', '=', id).execute();

  it('GIVEN a draft begun through one store THEN another store on the same database reads it, saves to it and removes it', async () => {
    const one = databaseDrafts(database.db);
    const other = databaseDrafts(database.db);
    const id = await one.create('discord', { form: { id: 'report', title: 'Report an incident' }, values: { victim: 'City of Odessa' } });
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(await other.get('discord', id)).toEqual({ form: { id: 'report', title: 'Report an incident' }, values: { victim: 'City of Odessa' } });
    expect(await other.save('discord', id, { values: { victim: 'City of Odessa', startDate: '2020-09' } })).toBe(true);
    expect(await one.get('discord', id)).toEqual({ values: { victim: 'City of Odessa', startDate: '2020-09' } });
    expect(await one.get('slack', id)).toBeNull();
    await other.remove('discord', id);
    expect(await one.get('discord', id)).toBeNull();
    expect(await one.save('discord', id, { values: {} })).toBe(false);
  });

  it('GIVEN a draft left past its time THEN it reads as gone, cannot be saved, and the next draft begun deletes its row', async () => {
    const drafts = databaseDrafts(database.db);
    const old = await drafts.create('discord', { values: { victim: 'Odessa' } });
    await expire(old);
    expect(await drafts.get('discord', old)).toBeNull();
    expect(await drafts.save('discord', old, { values: {} })).toBe(false);
    const fresh = await drafts.create('discord', { values: {} });
    const ids = (await database.db.selectFrom('form_drafts').select('id').execute()).map((r) => r.id);
    expect(ids).toEqual([fresh]);
  });

  it('GIVEN a draft read THEN it is good for another time to live from now', async () => {
    const drafts = databaseDrafts(database.db, { ttlMs: 60_000 });
    const id = await drafts.create('discord', { values: {} });
    await database.db.updateTable('form_drafts').set({ expires_at: sql<Date>`now() + interval '5 seconds'` }).where('id', '=', id).execute();
    await drafts.get('discord', id);
    const { left } = await database.db.selectFrom('form_drafts').select(sql<number>`extract(epoch from expires_at - now())::float8`.as('left')).where('id', '=', id).executeTakeFirstOrThrow();
    expect(left).toBeGreaterThan(50);
    expect(left).toBeLessThanOrEqual(60);
  });

  it('GIVEN what the database refuses THEN it refuses it: a malformed id, a platform that is not a chat', async () => {
    await expect(database.db.insertInto('form_drafts').values({ id: 'x', platform: 'discord', content: '{}', expires_at: new Date() }).execute()).rejects.toThrow(/check/);
    await expect(database.db.insertInto('form_drafts').values({ id: 'abcdefghijkl', platform: 'cli' as never, content: '{}', expires_at: new Date() }).execute()).rejects.toThrow(/check/);
  });
});
