import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, slackMode } from '../src/config.js';

describe('configuration', () => {
  it('GIVEN nothing set THEN defaults, the shell, no Slack', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ REPEAT_WINDOW_DAYS: 365, PORT: 3000 });
    expect(slackMode(config)).toBeNull();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: '0123456789abcdef0123' }, 'http'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, 'socket'],
  ])('GIVEN %o THEN Slack in %s mode', (env, mode) => {
    expect(slackMode(loadConfig(env))).toBe(mode);
  });

  it('GIVEN several bad variables THEN one error naming each, and no secret in it', () => {
    let message = '';
    try {
      loadConfig({ REPEAT_WINDOW_DAYS: 'a year', PORT: '-1', DATABASE_URL: 'mysql://x', SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_SIGNING_SECRET: 'short' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ['REPEAT_WINDOW_DAYS', 'PORT', 'DATABASE_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']) expect(message).toContain(name);
    expect(message).not.toContain('xoxp-user-token-secret');
  });

  it('GIVEN Discord variables THEN checked, and Discord is on with a token', async () => {
    const { discordEnabled } = await import('../src/config.js');
    expect(discordEnabled(loadConfig({ DISCORD_TOKEN: 'x'.repeat(30) }))).toBe(true);
    expect(() => loadConfig({ DISCORD_APPLICATION_ID: 'my-app', DISCORD_GUILD_ID: 'guild' })).toThrow(/DISCORD_APPLICATION_ID[\s\S]*DISCORD_GUILD_ID/);
  });

  it('GIVEN a bot token alone THEN it asks for the signing secret or the app token', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET: or SLACK_APP_TOKEN is needed/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: '0123456789abcdef0123' })).toThrow(/SLACK_BOT_TOKEN: is needed for Slack/);
  });
});

describe('the Slack app manifest', () => {
  const manifest = JSON.parse(readFileSync(new URL('../deploy/slack-manifest.json', import.meta.url), 'utf8')) as {
    features: { slash_commands: { command: string; url: string }[] };
    oauth_config: { scopes: { bot: string[] } };
    settings: { interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url: string } };
  };

  it('GIVEN the manifest THEN /incident, interactivity, type-ahead and the scopes the bot uses', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/incident']);
    expect(manifest.features.slash_commands[0]!.url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true, request_url: expect.stringMatching(/\/slack\/events$/) as string, message_menu_options_url: expect.stringMatching(/\/slack\/events$/) as string });
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['channels:history', 'chat:write', 'chat:write.public', 'commands', 'groups:history']);
  });
});
