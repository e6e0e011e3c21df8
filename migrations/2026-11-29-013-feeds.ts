import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A public source polled on a schedule (HHS, Have I Been Pwned, a ransomware tracker).
// Any number of bot processes share the table: a run is claimed with a lease and a
// token (as the outbox's deliveries are), so one process at a time polls a feed. The
// validators (etag, last_modified) and the body's hash make an unchanged source cost
// one conditional request; `backfilled` is set after the first run, which raises no
// alerts; `failing_since` and `failure_told_at` let a feed that fails for a day tell
// the channel that added it, once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create table feeds (
      id integer generated always as identity primary key,
      kind text not null check (kind in ('hhs', 'hibp', 'ransomware')),
      url text not null check (url ~* '^https?://' and length(url) <= 2000),
      every_seconds integer not null check (every_seconds between 60 and 2592000),
      platform text check (platform in ('slack', 'discord', 'shell')),
      workspace text not null default '',
      channel_id text,
      added_by text not null,
      created_at timestamptz not null default now(),
      next_run_at timestamptz not null default now(),
      claimed_until timestamptz,
      claim_token text,
      etag text,
      last_modified text,
      body_hash text,
      backfilled boolean not null default false,
      runs integer not null default 0,
      records_imported bigint not null default 0,
      failures integer not null default 0,
      consecutive_failures integer not null default 0,
      last_success_at timestamptz,
      last_error text,
      failing_since timestamptz,
      failure_told_at timestamptz,
      unique (kind, url)
    )`).execute(db);
  await sql.raw(`create index feeds_due on feeds (next_run_at)`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feeds').execute();
}
