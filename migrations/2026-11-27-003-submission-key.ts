import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A chat platform redelivers a request it thinks went unanswered, and people
// double-click: the key of the submission (a Slack view, a Discord interaction)
// makes the second delivery find the first incident instead of storing another.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table incidents add column submission_key text check (length(submission_key) between 1 and 200)`.execute(db);
  await sql`create unique index incidents_submission_key on incidents (submission_key)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table incidents drop column submission_key`.execute(db);
}
