import type { Server } from 'node:http';
import os from 'node:os';
import { createAlertDispatcher } from './alerts/alert-dispatcher.js';
import type { AlertDispatcher } from './alerts/alert-dispatcher.js';
import type { AlertSender } from './alerts/alert-sender.js';
import { feedBook } from './interop/feeds/feed-book.js';
import { createBackupSchedule } from './ops/backup/backup-schedule.js';
import { feedFailureNotice } from './interop/feeds/feed-notice.js';
import { createFeedPoller } from './interop/feeds/feed-poller.js';
import { subscribe, subscriptionOf } from './alerts/subscriptions.js';
import { createDiscordSurface } from './adapters/discord/discord-surface.js';
import { SHELL_CHANNEL, createShell } from './adapters/shell/shell.js';
import { createSlackSurface } from './adapters/slack/slack-surface.js';
import type { ChatSurface } from './adapters/surface.js';
import type { ChannelRef } from './identity.js';
import { createDispatcher } from './chat/dispatcher.js';
import { COMMAND_CONCURRENCY } from './chat/work-queue.js';
import { databaseDrafts } from './drafts/database-drafts.js';
import { createEmbeddedAutovacuum } from './db/embedded-autovacuum.js';
import { loadCommands } from './chat/registry.js';
import { discordEnabled, httpPort, secretsOf, slackMode } from './config.js';
import type { Config } from './config.js';
import { UserError } from './errors.js';
import { ledgerIsEmpty, seedDemo } from './incidents/demo-seed.js';
import { createLogger } from './log.js';
import type { Logger } from './log.js';
import type { Services } from './services.js';
import { instrumentDispatcher } from './ops/instrument-dispatcher.js';
import { createMetrics } from './ops/metrics.js';
import { opsRoutes } from './ops/ops-routes.js';
import { startOpsServer } from './ops/ops-server.js';
import { gateDispatcher } from './ops/shutdown-gate.js';
import type { GatedDispatcher } from './ops/shutdown-gate.js';
import { openLedger } from './startup.js';
import { policyFromConfig, slackUserGroups } from './trust/permissions.js';
import type { Ledger } from './ledger.js';

/**
 * Runs the bot: opens and migrates the ledger, loads the commands, serves every
 * configured chat surface — the terminal shell when no chat credentials are set, or
 * when asked for — delivers alerts from the outbox, and serves /healthz and /metrics
 * on PORT (any free port for 0, none for off, so that several processes share a host).
 * SIGTERM or SIGINT stops it gracefully (see `catchShutdownSignals`).
 */
export async function start(config: Config, options: { forceShell: boolean }): Promise<void> {
  const slack = slackMode(config);
  const discord = discordEnabled(config);
  const useShell = options.forceShell || (slack === null && !discord);
  const log = createLogger(config.LOG_LEVEL ?? (useShell ? 'warn' : 'info'), {
    format: config.LOG_FORMAT, secrets: secretsOf(config), color: !config.NO_COLOR,
  });
  const opened = await openLedger(config, { migrate: true });
  const { ledger, database } = opened;
  const stops: (() => Promise<void>)[] = [];
  // Caught before any surface takes commands: a SIGTERM while the others still start
  // is a graceful shutdown once they have, never a kill mid-way.
  const signals = useShell ? null : catchShutdownSignals(log, config.SHUTDOWN_GRACE_SECONDS);
  try {
    const notes: string[] = [];
    if (database.location.kind === 'pglite' && (await ledgerIsEmpty(ledger.db))) {
      const seeded = await seedDemo(ledger.db, { windowDays: ledger.windowDays });
      await subscribe(ledger.db, SHELL_CHANNEL, { name: 'breachdesk', id: null });
      notes.push(`First start: loaded ${seeded.loaded} demo incidents (the City of Odessa among them) and turned repeat-breach alerts on for this terminal.`);
    }
    const alerts = createAlertDispatcher({ db: ledger.db, log, listen: database.listen, leaseMs: config.ALERT_LEASE_SECONDS * 1000, clearanceDefault: config.CHANNEL_CLEARANCE_DEFAULT });
    const commands = await loadCommands();
    const trust = policyFromConfig(config);
    const services: Services = { ledger, wakeAlerts: () => alerts.wake(), log, trust, feeds: feedBook(ledger.db, { allowPrivate: config.FEEDS_ALLOW_PRIVATE }) };

    // The terminal shell alone serves no HTTP unless PORT is set; a chat surface does unless PORT is off.
    const port = config.PORT !== undefined || slack !== null || discord ? httpPort(config) : null;
    const metrics = port !== null ? createMetrics({ db: ledger.db, pool: database.pool }) : null;
    const dispatcherCore = createDispatcher(commands, services);
    const gate = gateDispatcher(metrics ? instrumentDispatcher(dispatcherCore, metrics) : dispatcherCore);
    const dispatcher = gate.dispatcher;
    const adapters: Record<string, () => boolean> = {};
    const senders = new Map<string, AlertSender>();
    const routes = metrics ? opsRoutes({ db: ledger.db, adapters, shuttingDown: () => gate.closed }, metrics) : [];
    // With PORT=0 the port is the one the system gave: read back once listening, for the log.
    let slackPort = port;

    const served: Served[] = [];
    if (slack) {
      served.push({
        surface: createSlackSurface({
          // Never null in HTTP mode (the configuration refuses PORT=off there); Socket Mode listens on nothing.
          dispatcher, log, port: port ?? 0, apiUrl: config.SLACK_API_URL, routes: slack === 'http' ? routes : undefined,
          botToken: config.SLACK_BOT_TOKEN!, signingSecret: config.SLACK_SIGNING_SECRET, appToken: config.SLACK_APP_TOKEN,
          userGroups: slackUserGroups(trust),
          commandConcurrency: config.COMMAND_CONCURRENCY ?? COMMAND_CONCURRENCY[database.location.kind],
        }),
        alertChannel: config.SLACK_ALERT_CHANNEL,
        listensOn: slack === 'http' ? port ?? undefined : undefined,
        serving: slack === 'socket'
          ? () => ({ log: 'Slack (Socket Mode)', note: 'Slack (Socket Mode)' })
          : (server) => {
            const address = (server as Server | undefined)?.address();
            slackPort = typeof address === 'object' && address !== null ? address.port : port;
            return { log: `Slack (HTTP on port ${slackPort}, /slack/events)`, note: `Slack (HTTP mode on port ${slackPort})` };
          },
      });
    }
    if (discord) {
      served.push({
        surface: createDiscordSurface({
          dispatcher, log, token: config.DISCORD_TOKEN!, apiUrl: config.DISCORD_API_URL, drafts: databaseDrafts(ledger.db),
          shards: config.SHARD_COUNT === undefined ? undefined : { count: config.SHARD_COUNT, ids: config.SHARD_IDS },
        }),
        alertChannel: config.DISCORD_ALERT_CHANNEL,
        serving: () => ({ log: `Discord${shardsServed(config)}`, note: `Discord${shardsServed(config)}` }),
      });
    }
    const shell = useShell ? createShell({
      dispatcher,
      input: process.stdin,
      output: process.stdout,
      color: !!process.stdout.isTTY && !config.NO_COLOR,
      user: os.userInfo().username || 'you',
      banner: [
        `breachdesk — ledger in ${database.description}.`,
        ...notes,
        slack || discord ? `${[slack && 'Slack', discord && 'Discord'].filter(Boolean).join(' and ')} connected too.`
          : 'No Slack or Discord credentials are set, so this is the terminal shell (README: "Add to Slack", "Add to Discord").',
        'Type /incident help, or try /incident odessa. Ctrl-D or exit quits.',
      ].join('\n'),
    }) : null;
    if (shell) served.push({ surface: shell });

    for (const { surface, alertChannel, serving, listensOn } of served) {
      const started = await surface.start().catch((error: unknown) => {
        const code = (error as { code?: string }).code;
        if (listensOn === undefined || (code !== 'EADDRINUSE' && code !== 'EACCES')) throw error;
        throw new UserError(`cannot listen on PORT ${listensOn} for Slack's requests (${code}); give each process on this host its own PORT (0 takes any free one).`, 'port_unavailable');
      });
      stops.push(() => surface.stop());
      if (surface.health() !== null) adapters[surface.platform] = () => surface.health() === true;
      if (surface.alertSender) {
        alerts.register(surface.platform, surface.alertSender);
        senders.set(surface.platform, surface.alertSender);
      }
      if (alertChannel) {
        await bootstrapChannel(ledger, log, { platform: surface.platform, workspace: await surface.workspaceOf(alertChannel), channelId: alertChannel });
      }
      if (serving) {
        const { log: what, note } = serving(started);
        log.info(`breachdesk serving ${what}; ledger in ${database.description}`);
        if (!useShell) notes.push(`Serving ${note}.`);
      }
    }

    if (port === null) {
      if (!useShell) log.info('no health or metrics server: PORT is off');
    } else if (routes.length > 0) {
      if (slack === 'http') {
        log.info(`health and metrics on port ${slackPort}: /healthz, /metrics`);
      } else {
        const server = await startOpsServer(routes, port).catch((error: unknown) => {
          throw new UserError(`cannot listen on PORT ${port} for /healthz and /metrics (${(error as { code?: string }).code ?? String(error)}); give each process on this host its own PORT (0 takes any free one, off serves none).`, 'port_unavailable');
        });
        stops.push(() => server.close());
        log.info(`health and metrics on port ${server.port}: /healthz, /metrics`);
      }
    }

    await alerts.start();
    stops.push(() => alerts.stop());
    if (database.location.kind === 'pglite') {
      const autovacuum = createEmbeddedAutovacuum({ db: ledger.db, log });
      autovacuum.start();
      stops.push(() => autovacuum.stop());
    }
    if (config.BACKUP_DIR) {
      const backups = createBackupSchedule({ pool: database.pool, source: { kind: database.location.kind, description: database.description }, dir: config.BACKUP_DIR, hourUtc: config.BACKUP_HOUR_UTC, keep: config.BACKUP_KEEP, log });
      backups.start();
      stops.push(() => backups.stop());
    }
    // Public sources on their schedules (`breachdesk feeds add`); each run claimed, so any number of processes may poll.
    const feeds = createFeedPoller({ ledger, log, tell: feedFailureNotice(senders), allowPrivate: config.FEEDS_ALLOW_PRIVATE });
    feeds.start();
    stops.push(() => feeds.stop());
    if (shell) {
      const stop = () => shell.close();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await shell.run();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      gate.close();
      await gate.idle();
      // What the last command queued goes out before the shell closes.
      await alerts.drain().catch((error: unknown) => log.warn('alerts left in the outbox for the next start', { error }));
    } else {
      for (const note of notes) log.info(note);
      await signals!.received;
      await finishInFlight({ gate, alerts, log });
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error('stopping failed', { error }));
    await opened.close();
    signals?.release();
  }
  log.info('stopped');
}

/** A surface as this process serves it: the channel configured for its alerts, the port it listens on, and how it is announced once started. */
interface Served {
  surface: ChatSurface;
  alertChannel?: string;
  listensOn?: number;
  serving?: (started: unknown) => { log: string; note: string };
}

/** " (shards 0, 1 of 4)" when this process runs some of Discord's gateway shards; "" when it runs the one. */
function shardsServed(config: Config): string {
  if (config.SHARD_COUNT === undefined) return '';
  const ids = config.SHARD_IDS ?? Array.from({ length: config.SHARD_COUNT }, (_, n) => n);
  return ` (shard${ids.length === 1 ? '' : 's'} ${ids.join(', ')} of ${config.SHARD_COUNT})`;
}

/**
 * SIGTERM and SIGINT, caught from now on. The first starts a bounded shutdown: past
 * the grace period, or at a second signal, the process exits at once with 1 — even
 * if it is still starting. `release` stops listening once everything is stopped.
 */
function catchShutdownSignals(log: Logger, graceSeconds: number): { received: Promise<void>; release: () => void } {
  const exitNow = (why: string) => {
    log.error(`${why}; exiting now`);
    process.exit(1);
  };
  const impatient = () => exitNow('a second signal');
  let first: () => void = () => undefined;
  const received = new Promise<void>((resolve) => {
    first = () => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      process.once('SIGINT', impatient);
      process.once('SIGTERM', impatient);
      log.info(`shutting down: no new commands; finishing what is in flight (at most ${graceSeconds} s)`);
      setTimeout(() => exitNow(`shutdown did not finish within ${graceSeconds} s`), graceSeconds * 1000).unref();
      resolve();
    };
  });
  process.on('SIGINT', first);
  process.on('SIGTERM', first);
  return {
    received,
    release: () => {
      for (const handler of [first, impatient]) {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      }
    },
  };
}

/**
 * After the signal: new commands are answered "restarting", commands in flight
 * finish, and what they queued is delivered; the caller then stops the surfaces
 * (each waits for its replies in flight), the dispatcher and the database.
 */
async function finishInFlight(parts: { gate: GatedDispatcher; alerts: AlertDispatcher; log: Logger }): Promise<void> {
  const { gate, alerts, log } = parts;
  gate.close();
  await gate.idle();
  await alerts.drain().catch((error: unknown) => log.warn('alerts left in the outbox for the next start', { error }));
}

/** SLACK_ALERT_CHANNEL / DISCORD_ALERT_CHANNEL: subscribe at start unless already subscribed. */
async function bootstrapChannel(ledger: Ledger, log: Logger, channel: ChannelRef): Promise<void> {
  if (await subscriptionOf(ledger.db, channel)) return;
  await subscribe(ledger.db, channel, { name: 'configuration', id: null });
  log.info('subscribed the configured alert channel', { platform: channel.platform, channel: channel.channelId });
}
