import os from 'node:os';
import { createAlertDispatcher } from './alerts/alert-dispatcher.js';
import { subscribe, subscriptionOf } from './alerts/subscriptions.js';
import { discordAlertSender } from './adapters/discord/discord-alerts.js';
import { createDiscordSurface } from './adapters/discord/discord-surface.js';
import { SHELL_CHANNEL, createShell } from './adapters/shell/shell.js';
import { slackAlertSender } from './adapters/slack/slack-alerts.js';
import { createSlackSurface } from './adapters/slack/slack-surface.js';
import type { ChannelRef } from './chat/command.js';
import { createDispatcher } from './chat/dispatcher.js';
import { loadCommands } from './chat/registry.js';
import { discordEnabled, slackMode } from './config.js';
import type { Config } from './config.js';
import { ledgerIsEmpty, seedDemo } from './incidents/demo-seed.js';
import { createLogger } from './log.js';
import type { Logger } from './log.js';
import type { Services } from './services.js';
import { openLedger } from './startup.js';
import { policyFromConfig } from './trust/permissions.js';
import type { Ledger } from './incidents/ledger.js';

/**
 * Runs the bot: opens and migrates the ledger, loads the commands, serves every
 * configured chat surface — the terminal shell when no chat credentials are set, or
 * when asked for — and delivers alerts from the outbox.
 */
export async function start(config: Config, options: { forceShell: boolean }): Promise<void> {
  const slack = slackMode(config);
  const discord = discordEnabled(config);
  const useShell = options.forceShell || (slack === null && !discord);
  const log = createLogger(config.LOG_LEVEL ?? (useShell ? 'warn' : 'info'));
  const opened = await openLedger(config, { migrate: true });
  const { ledger, database } = opened;
  const stops: (() => Promise<void>)[] = [];
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
    const services: Services = { ledger, wakeAlerts: () => alerts.wake(), commands, log, trust };
    const dispatcher = createDispatcher(commands, services);

    if (slack) {
      const surface = createSlackSurface({
        dispatcher, log, port: config.PORT, apiUrl: config.SLACK_API_URL,
        botToken: config.SLACK_BOT_TOKEN!, signingSecret: config.SLACK_SIGNING_SECRET, appToken: config.SLACK_APP_TOKEN,
        userGroups: [...(config.SLACK_REPORTERS ?? []), ...(config.SLACK_ADMINS ?? [])].filter((id) => id.startsWith('S')),
      });
      await surface.start();
      stops.push(() => surface.stop());
      alerts.register('slack', slackAlertSender({ botToken: config.SLACK_BOT_TOKEN!, apiUrl: config.SLACK_API_URL }));
      if (config.SLACK_ALERT_CHANNEL) {
        await bootstrapChannel(ledger, log, { platform: 'slack', workspace: await surface.workspace(), channelId: config.SLACK_ALERT_CHANNEL });
      }
      log.info(`breachdesk serving Slack (${slack === 'socket' ? 'Socket Mode' : `HTTP on port ${config.PORT}, /slack/events`}); ledger in ${database.description}`);
      if (!useShell) notes.push(`Serving Slack (${slack === 'socket' ? 'Socket Mode' : `HTTP mode on port ${config.PORT}`}).`);
    }

    if (discord) {
      const surface = createDiscordSurface({ dispatcher, log, token: config.DISCORD_TOKEN!, apiUrl: config.DISCORD_API_URL });
      await surface.start();
      stops.push(() => surface.stop());
      alerts.register('discord', discordAlertSender({ token: config.DISCORD_TOKEN!, apiUrl: config.DISCORD_API_URL }));
      if (config.DISCORD_ALERT_CHANNEL) {
        await bootstrapChannel(ledger, log, { platform: 'discord', workspace: await surface.workspaceOf(config.DISCORD_ALERT_CHANNEL), channelId: config.DISCORD_ALERT_CHANNEL });
      }
      log.info(`breachdesk serving Discord; ledger in ${database.description}`);
      if (!useShell) notes.push('Serving Discord.');
    }

    if (useShell) {
      const shell = createShell({
        dispatcher,
        input: process.stdin,
        output: process.stdout,
        color: !!process.stdout.isTTY && !process.env.NO_COLOR,
        user: os.userInfo().username || 'you',
        banner: [
          `breachdesk — ledger in ${database.description}.`,
          ...notes,
          slack || discord ? `${[slack && 'Slack', discord && 'Discord'].filter(Boolean).join(' and ')} connected too.`
            : 'No Slack or Discord credentials are set, so this is the terminal shell (README: "Add to Slack", "Add to Discord").',
          'Type /incident help, or try /incident odessa. Ctrl-D or exit quits.',
        ].join('\n'),
      });
      alerts.register('shell', shell.alertSender);
      await alerts.start();
      stops.push(() => alerts.stop());
      const stop = () => shell.close();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await shell.run();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // What the last command queued goes out before the shell closes.
      await alerts.drain();
    } else {
      await alerts.start();
      stops.push(() => alerts.stop());
      for (const note of notes) log.info(note);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      log.info('shutting down');
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error('stopping failed', { error }));
    await opened.close();
  }
}

/** SLACK_ALERT_CHANNEL / DISCORD_ALERT_CHANNEL: subscribe at start unless already subscribed. */
async function bootstrapChannel(ledger: Ledger, log: Logger, channel: ChannelRef): Promise<void> {
  if (await subscriptionOf(ledger.db, channel)) return;
  await subscribe(ledger.db, channel, { name: 'configuration', id: null });
  log.info('subscribed the configured alert channel', { platform: channel.platform, channel: channel.channelId });
}
