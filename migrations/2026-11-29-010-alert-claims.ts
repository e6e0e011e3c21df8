import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// An alert is sent once and says what its report's confirmation said.
// `claim_token` names the claim a process holds on a delivery: it renews the lease
// while it waits for the platform and records the send only while the token is still
// its own. `counted_incident_ids` are the victim's other incidents the channel counted
// when the report committed, so the ordinal is the one of that moment, however late
// the alert goes out.
export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`alter table alert_deliveries add column claim_token text check (length(claim_token) between 8 and 64)`);
  await run(`alter table alert_deliveries add column counted_incident_ids integer[]`);
}

export async function down(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`alter table alert_deliveries drop column counted_incident_ids`);
  await run(`alter table alert_deliveries drop column claim_token`);
}
