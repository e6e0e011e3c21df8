import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { subscribe, watch } from '../../src/alerts/subscriptions.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import type { ChannelRef } from '../../src/identity.js';
import { seedDemo } from '../../src/incidents/demo-seed.js';
import { createLedger } from '../../src/ledger.js';
import { ledgerTables, selectRows, settleTextForms } from '../../src/ops/backup/ledger-tables.js';
import { setClearance } from '../../src/trust/clearance.js';
import type { AuditActor } from '../../src/trust/audit.js';
import { analyst, submission } from './submissions.js';

/** The Slack channel the built ledger's pending alert waits for. */
export const ALERT_CHANNEL = 'CALERTS1';
export const alertChannel: ChannelRef = { platform: 'slack', workspace: 'T1', channelId: ALERT_CHANNEL };
const operator: AuditActor = { platform: 'cli', workspace: null, userId: null, name: 'ops' };

/**
 * A ledger with something in every table: the demo incidents, reports, an edit, a
 * retraction, a merge of two reports (the kept one newer, so a row references one
 * after it), a subscription, a watch and a clearance of a Slack channel, and one
 * alert to it still pending in the outbox.
 */
export async function buildLedger(database: LedgerDatabase): Promise<{ pendingIncident: string }> {
  const { db } = database;
  const ledger = createLedger(db, { windowDays: 365 });
  await seedDemo(db, { windowDays: 365 });
  const owner = { name: 'ana', id: 'UANA' };
  await subscribe(db, alertChannel, owner);
  await watch(db, alertChannel, { kind: 'vendor', value: 'click2gov', label: 'Click2Gov' }, owner);
  await setClearance(db, alertChannel, 'amber', owner);

  const harbour = { name: 'Port of Tillamook Bay', country: 'US', region: 'OR', isNew: true };
  const first = await ledger.report(submission({ victim: harbour, startDate: '2023-05', vendor: undefined, summary: 'Ransomware at the harbour office.', sources: ['https://news.example.org/harbour'] }), analyst, { alerts: false });
  const second = await ledger.report(submission({ victim: { name: 'Port of Tillamook Bay', id: first.victim.id }, startDate: '2023-05-02', vendor: undefined, summary: 'Harbour office systems encrypted; ransom demanded.', sources: ['https://paper.example.org/harbour'], newIncident: true }), analyst, { alerts: false });
  await ledger.edit(first.incident.reference, submission({ victim: { name: 'Port of Tillamook Bay', id: first.victim.id }, startDate: '2023-05', vendor: undefined, summary: 'Ransomware encrypted the harbour office’s files — “Ryuk”.', sources: ['https://news.example.org/harbour'] }), operator);
  await ledger.merge(second.incident.reference, first.incident.reference, operator, () => true);
  const wrong = await ledger.report(submission({ victim: { name: 'Gresham Water Bureau', country: 'US', region: 'OR', isNew: true }, startDate: '2022-01', vendor: undefined, summary: 'Phishing of the billing clerk.', sources: ['https://example.org/gresham'] }), analyst, { alerts: false });
  await ledger.retract(wrong.incident.reference, operator, 'entered twice');

  // A third Click2Gov incident of Odessa: a repeat breach, queued for the Slack channel and not delivered.
  const repeat = await ledger.report(submission({ victim: { name: 'City of Odessa', id: 1 }, startDate: '2020-06-01', newIncident: true }), analyst);
  const pending = await db.selectFrom('alert_deliveries').select(['status', 'channel_id']).where('incident_id', '=', repeat.incident.id).execute();
  if (!pending.some((d) => d.status === 'pending' && d.channel_id === ALERT_CHANNEL)) throw new Error('the built ledger has no pending alert');
  return { pendingIncident: repeat.incident.reference };
}

/** Every ledger table's rows as text, in a fixed order: what "identical" compares. */
export async function tableContents<DB>(db: Kysely<DB>): Promise<Record<string, (string | null)[][]>> {
  const read = async (trx: Kysely<DB>) => {
    await settleTextForms(trx);
    const contents: Record<string, (string | null)[][]> = {};
    for (const table of await ledgerTables(trx)) {
      contents[table.name] = (await selectRows(table).execute(trx)).rows.map((r) => r.r);
    }
    return contents;
  };
  return db.isTransaction ? read(db) : db.transaction().execute(read);
}

/** How many rows each table holds, by the database's own count. */
export async function rowCounts<DB>(db: Kysely<DB>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await ledgerTables(db)) {
    const { rows: [row] } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table.name)}`.execute(db);
    counts[table.name] = row!.n;
  }
  return counts;
}

/** Rewrites a backup's lines and seals it again with correct checksums, as a newer breachdesk might have written it. */
export async function resealed(file: string, to: string, change: (lines: unknown[]) => unknown[]): Promise<void> {
  const lines = gunzipSync(await readFile(file)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
  const trailer = lines.pop() as { sha256: string; rows: Record<string, number>; tableSha256: Record<string, string> };
  const changed = change(lines);
  const body = changed.map((l) => `${JSON.stringify(l)}\n`).join('');
  trailer.sha256 = createHash('sha256').update(body).digest('hex');
  for (const table of Object.keys(trailer.rows)) {
    const rows = changed.filter((l): l is [string, unknown[]] => Array.isArray(l) && l[0] === table).map(([, values]) => `${JSON.stringify(values)}\n`);
    trailer.rows[table] = rows.length;
    trailer.tableSha256[table] = createHash('sha256').update(rows.join('')).digest('hex');
  }
  await writeFile(to, gzipSync(`${body}${JSON.stringify(trailer)}\n`));
}
