import type { Kysely } from 'kysely';
import type pg from 'pg';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { deliveryTotals } from '../alerts/delivery-status.js';
import type { Database } from '../db/schema.js';
import { listFeeds } from '../interop/feeds/feed-store.js';
import type { Feed } from '../interop/feeds/feed-store.js';

/** What the bot measures, and the registry /metrics prints. */
export interface BotMetrics {
  registry: Registry;
  /** One `/incident …` or button press, from the surface's call to the reply. */
  observeCommand(command: string, platform: string, seconds: number): void;
  /** One submitted form (the report), from the surface's call to the outcome. */
  observeSubmission(form: string, platform: string, seconds: number): void;
}

// From a quick lookup (tens of ms) to a slow report under load (seconds).
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics on a registry of the bot's own (no global state): command and
 * form latency histograms by command and platform, alert deliveries by status read
 * from the outbox at each scrape, the database pool's connections, and Node's process
 * metrics, all prefixed `breachdesk_`.
 */
export function createMetrics(options: { db: Kysely<Database>; pool: pg.Pool; queryTimeoutMs?: number }): BotMetrics {
  const { db, pool } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'breachdesk_' });

  const commands = new Histogram({
    name: 'breachdesk_command_duration_seconds', help: 'Time to answer a slash command or button, by command and platform.',
    labelNames: ['command', 'platform'] as const, buckets: BUCKETS, registers: [registry],
  });
  const submissions = new Histogram({
    name: 'breachdesk_form_submission_duration_seconds', help: 'Time to answer a submitted form (the report), by form and platform.',
    labelNames: ['form', 'platform'] as const, buckets: BUCKETS, registers: [registry],
  });

  const databaseUp = new Gauge({ name: 'breachdesk_database_up', help: '1 when the ledger answered the last scrape, 0 when it did not.', registers: [registry] });
  new Gauge({
    name: 'breachdesk_alert_deliveries', help: 'Alert deliveries in the outbox by status: pending (queued, retrying or being sent), sent, failed.',
    labelNames: ['status'] as const, registers: [registry],
    async collect() {
      try {
        const totals = await withTimeout(deliveryTotals(db), options.queryTimeoutMs ?? 2_000);
        for (const status of ['pending', 'sent', 'failed'] as const) this.set({ status }, totals[status]);
        databaseUp.set(1);
      } catch {
        // The database is down: the last figures stay, and breachdesk_database_up says so.
        databaseUp.set(0);
      }
    },
  });
  // Each feed's figures as the feeds table holds them (any process may have run it).
  const feedGauge = (name: string, help: string, value: (f: Feed) => number | null) => new Gauge({
    name, help, labelNames: ['feed', 'kind'] as const, registers: [registry],
    async collect() {
      const feeds = await withTimeout(listFeeds(db), options.queryTimeoutMs ?? 2_000).catch(() => null);
      if (!feeds) return;
      this.reset();
      for (const f of feeds) {
        const v = value(f);
        if (v !== null) this.set({ feed: String(f.id), kind: f.kind }, v);
      }
    },
  });
  feedGauge('breachdesk_feed_last_success_timestamp_seconds', 'When each feed last ran without error (Unix time).', (f) => (f.last_success_at ? f.last_success_at.getTime() / 1000 : null));
  feedGauge('breachdesk_feed_records_imported', 'Records each feed has imported, all runs together.', (f) => Number(f.records_imported));
  feedGauge('breachdesk_feed_failures', 'Runs of each feed that failed, all together.', (f) => f.failures);
  feedGauge('breachdesk_feed_failing', '1 while a feed\'s last run failed, else 0.', (f) => (f.consecutive_failures > 0 ? 1 : 0));
  new Gauge({ name: 'breachdesk_db_pool_connections', help: 'Connections the database pool holds.', registers: [registry], collect() { this.set(pool.totalCount); } });
  new Gauge({ name: 'breachdesk_db_pool_idle_connections', help: 'Pool connections idle, ready for a query.', registers: [registry], collect() { this.set(pool.idleCount); } });
  new Gauge({ name: 'breachdesk_db_pool_waiting_requests', help: 'Queries waiting for a pool connection.', registers: [registry], collect() { this.set(pool.waitingCount); } });

  return {
    registry,
    observeCommand: (command, platform, seconds) => commands.observe({ command, platform }, seconds),
    observeSubmission: (form, platform, seconds) => submissions.observe({ form, platform }, seconds),
  };
}

/** Rejects when `work` takes longer than `ms` (the work itself carries on and is ignored). */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
