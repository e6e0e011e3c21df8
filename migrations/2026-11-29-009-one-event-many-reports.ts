import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// One event, many reports. A report that describes an incident the ledger already
// holds is stored whole (its own row, reference, source and reporter) and joined to
// that incident: `merged_into` names it, `merge_reason` says why, and every lookup,
// count and alert sees only the incident. Clearing `merged_into` splits it off again.
// The earlier "probable double entry" (duplicate_of) was the first such join.
export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`alter table incidents rename column duplicate_of to merged_into`);
  await run(`alter table incidents add column merge_reason text`);
  await run(`alter table incidents add column merged_at timestamptz`);
  await run(`update incidents set merge_reason = 'same source, overlapping dates', merged_at = reported_at where merged_into is not null`);
  await run(`create index incidents_merged_into on incidents (merged_into) where merged_into is not null`);
  // A victim that operates nationwide is one victim whatever state a report names.
  await run(`alter table victims add column national boolean not null default false`);
  // Organisations are known by their initials: "UCLA" is the University of California, Los Angeles.
  await run(`alter table victims add column initials text`);
  await run(`create index victims_initials on victims (initials) where initials is not null`);
  // Channels hear of certain repeats; `possible` also of those only partial dates allow.
  await run(`alter table alert_subscriptions add column possible boolean not null default false`);
  // An alert counts as its channel does: certain repeats only, or possible ones too.
  await run(`alter table alert_deliveries add column possible boolean not null default false`);
}

export async function down(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`alter table alert_deliveries drop column possible`);
  await run(`alter table alert_subscriptions drop column possible`);
  await run(`drop index victims_initials`);
  await run(`alter table victims drop column initials`);
  await run(`alter table victims drop column national`);
  await run(`drop index incidents_merged_into`);
  await run(`alter table incidents drop column merged_at`);
  await run(`alter table incidents drop column merge_reason`);
  await run(`alter table incidents rename column merged_into to duplicate_of`);
}
