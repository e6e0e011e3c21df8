import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A form filled in across several platform round trips (Discord's report form, five
// fields a modal) is kept here, not in one process's memory, so that any process can
// carry on with it and a restart or a deploy loses nothing. `content` is the surface's
// own (the form and what is filled in so far); rows past `expires_at` are dead and are
// swept as new drafts begin.
export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`
    create table form_drafts (
      id text primary key check (id ~ '^[A-Za-z0-9_-]{8,64}$'),
      platform text not null check (platform in ('slack', 'discord', 'shell')),
      content jsonb not null check (jsonb_typeof(content) = 'object' and pg_column_size(content) <= 262144),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`);
  await run(`create index form_drafts_expires_at on form_drafts (expires_at)`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('form_drafts').execute();
}
