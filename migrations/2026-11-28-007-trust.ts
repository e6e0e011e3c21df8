import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Trust: every incident carries a Traffic Light Protocol marking and who reported it
// (by platform user id, for "only the reporter or an admin may change it"); changes
// keep the previous version in incident_revisions; a retraction hides an incident
// without deleting it; channels have a clearance; an audit log records who did what.
export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`alter table incidents add column tlp text not null default 'clear'
    check (tlp in ('clear', 'green', 'amber', 'amber+strict', 'red'))`);
  await run(`alter table incidents add column reported_by_id text check (length(reported_by_id) <= 100)`);
  await run(`alter table incidents add column revision integer not null default 1 check (revision >= 1)`);
  await run(`alter table incidents add column retracted_at timestamptz`);
  await run(`alter table incidents add column retracted_by text check (length(retracted_by) <= 200)`);
  await run(`alter table incidents add column retraction_reason text check (length(retraction_reason) <= 500)`);

  await run(`create table incident_revisions (
    incident_id integer not null references incidents (id) on delete cascade,
    revision integer not null,
    -- The incident as it was before the change (incident JSON), never rewritten.
    content jsonb not null,
    change text not null check (change in ('edit', 'retract')),
    changed_by text not null,
    changed_by_id text,
    changed_platform text not null,
    changed_at timestamptz not null default now(),
    primary key (incident_id, revision)
  )`);

  await run(`create table channel_clearances (
    platform text not null,
    workspace text not null default '',
    channel_id text not null,
    clearance text not null check (clearance in ('clear', 'green', 'amber', 'amber+strict')),
    set_by text not null,
    set_at timestamptz not null default now(),
    primary key (platform, workspace, channel_id)
  )`);

  await run(`create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    platform text not null,
    workspace text,
    user_id text,
    user_name text not null,
    channel_id text,
    action text not null,
    subject text not null,
    detail jsonb not null default '{}'
  )`);
  await run(`create index audit_log_at on audit_log (at)`);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'channel_clearances', 'incident_revisions']) await db.schema.dropTable(table).execute();
  for (const column of ['tlp', 'reported_by_id', 'revision', 'retracted_at', 'retracted_by', 'retraction_reason']) {
    await db.schema.alterTable('incidents').dropColumn(column).execute();
  }
}
