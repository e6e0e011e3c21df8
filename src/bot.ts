import os from 'node:os';
import { subscribe } from './alerts/subscriptions.js';
import { createAlertPublisher } from './alerts/publisher.js';
import { SHELL_CHANNEL, createShell } from './adapters/shell/shell.js';
import { createDispatcher } from './chat/dispatcher.js';
import { loadCommands } from './chat/registry.js';
import type { Config } from './config.js';
import { ledgerIsEmpty, seedDemo } from './incidents/demo-seed.js';
import { createLogger } from './log.js';
import type { Services } from './services.js';
import { openLedger } from './startup.js';

/**
 * Runs the bot: opens and migrates the ledger, loads the commands, and serves every
 * configured chat surface — the terminal shell when no chat credentials are set.
 */
export async function start(config: Config, options: { forceShell: boolean }): Promise<void> {
  const log = createLogger(config.LOG_LEVEL ?? 'warn');
  const opened = await openLedger(config, { migrate: true });
  const { ledger, database } = opened;
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

    const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
    const shell = createShell({
      dispatcher,
      input: process.stdin,
      output: process.stdout,
      color,
      user: os.userInfo().username || 'you',
      banner: [
        `breachdesk — ledger in ${database.description}.`,
        ...notes,
        options.forceShell ? '' : 'No Slack or Discord credentials are set, so this is the terminal shell (README: "Add to Slack", "Add to Discord").',
        'Type /incident help, or try /incident odessa. Ctrl-D or exit quits.',
      ].filter(Boolean).join('\n'),
    });
    alerts.register('shell', shell.sendAlert);

    const stop = () => shell.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await shell.run();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  } finally {
    await opened.close();
  }
}
