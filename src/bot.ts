import type { Config } from './config.js';

/** Runs the bot on every configured chat surface. */
export function start(_config: Config, _options: { forceShell: boolean }): Promise<void> {
  return Promise.reject(new Error('the bot is not built yet'));
}
