import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DRAFT_TTL_MS } from './draft-store.js';
import type { DraftStore } from './draft-store.js';

/**
 * Drafts in the ledger's database (`form_drafts`), shared by every process on it.
 * Expiry is the database's clock, so processes whose clocks differ agree on it;
 * expired rows are deleted whenever a new draft begins.
 */
export function databaseDrafts(db: Kysely<Database>, options: { ttlMs?: number } = {}): DraftStore {
  const ttl = sql<Date>`now() + make_interval(secs => ${(options.ttlMs ?? DRAFT_TTL_MS) / 1000})`;
  return {
    async create(platform, content) {
      await db.deleteFrom('form_drafts').where('expires_at', '<', sql<Date>`now()`).execute();
      const id = randomBytes(9).toString('base64url');
      await db.insertInto('form_drafts').values({ id, platform, content: JSON.stringify(content), expires_at: ttl }).execute();
      return id;
    },
    async get(platform, id) {
      const row = await db.updateTable('form_drafts').set({ expires_at: ttl })
        .where('id', '=', id).where('platform', '=', platform).where('expires_at', '>', sql<Date>`now()`)
        .returning('content').executeTakeFirst();
      return row?.content ?? null;
    },
    async save(platform, id, content) {
      const result = await db.updateTable('form_drafts').set({ content: JSON.stringify(content), expires_at: ttl })
        .where('id', '=', id).where('platform', '=', platform).where('expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async remove(platform, id) {
      await db.deleteFrom('form_drafts').where('id', '=', id).where('platform', '=', platform).execute();
    },
  };
}
