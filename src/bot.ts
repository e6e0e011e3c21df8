import os from 'node:os';
import { subscribe } from './alerts/subscriptions.js';
import { createAlertPublisher } from './alerts/publisher.js';
import { SHELL_CHANNEL, createShell } from './adapters/shell/shell.js';
import { createDiscordSurface } from './adapters/discord/discord-surface.js';
import { createSlackSurface } from './adapters/slack/slack-surface.js';
import { createDispatcher } from './chat/dispatcher.js';
import { loadCommands } from './chat/registry.js';
import { discordEnabled, slackMode } from './config.js';
import type { Config } from './config.js';
import { ledgerIsEmpty, seedDemo } from './incidents/demo-seed.js';
import { createLogger } from './log.js';
import type { Services } from './services.js';
import { openLedger } from './startup.js';

/**
 * Runs the bot: opens and migrates the ledger, loads the commands, and serves every
 * configured chat surface — the terminal shell when no chat credentials are set, or
 * when asked for.
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
      await subscribe(ledger.db, SHELL_CHANNEL, 'breachdesk');
      notes.push(`First start: loaded ${seeded.loaded} demo incidents (the City of Odessa among them) and turned repeat-breach alerts on for this terminal.`);
    }
    const commands = await loadCommands();
    const alerts = createAlertPublisher(ledger.db, log);
    const services: Services = { ledger, alerts, commands, log };
    const dispatcher = createDispatcher(commands, services);

    if (slack) {
      const surface = createSlackSurface({
        dispatcher, log, port: config.PORT, apiUrl: config.SLACK_API_URL,
        botToken: config.SLACK_BOT_TOKEN!, signingSecret: config.SLACK_SIGNING_SECRET, appToken: config.SLACK_APP_TOKEN,
      });
      await surface.start();
      alerts.register('slack', surface.sendAlert);
      stops.push(() => surface.stop());
      log.info(`breachdesk serving Slack (${slack === 'socket' ? 'Socket Mode' : `HTTP on port ${config.PORT}, /slack/events`}); ledger in ${database.description}`);
      if (!useShell) notes.push(`Serving Slack (${slack === 'socket' ? 'Socket Mode' : `HTTP mode on port ${config.PORT}`}).`);
    }

    if (discord) {
      const surface = createDiscordSurface({ dispatcher, log, token: config.DISCORD_TOKEN!, apiUrl: config.DISCORD_API_URL });
      await surface.start();
      alerts.register('discord', surface.sendAlert);
      stops.push(() => surface.stop());
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
      alerts.register('shell', shell.sendAlert);
      const stop = () => shell.close();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await shell.run();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    } else {
      for (const note of notes) log.info(note);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      log.info('shutting down');
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error('stopping a surface failed', { error }));
    await opened.close();
  }
}
