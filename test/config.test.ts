import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, httpPort, loadConfig, secretsOf, slackMode } from '../src/config.js';

describe('configuration', () => {
  it('GIVEN nothing set THEN defaults, the shell, no Slack', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ REPEAT_WINDOW_DAYS: 365, SHUTDOWN_GRACE_SECONDS: 10 });
    expect(config.PORT).toBeUndefined();
    expect(httpPort(config)).toBe(3000);
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

  it.each([
    ['SLACK_BOT_TOKEN', { SLACK_BOT_TOKEN: 'xoxp-7777777777-malformed-user-token', SLACK_SIGNING_SECRET: '0123456789abcdef0123' }, 'xoxp-7777777777-malformed-user-token'],
    ['SLACK_APP_TOKEN', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-pasted-in-the-wrong-place-4242' }, 'xoxb-pasted-in-the-wrong-place-4242'],
    ['SLACK_SIGNING_SECRET', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'f00dcafe42' }, 'f00dcafe42'],
    ['DISCORD_TOKEN', { DISCORD_TOKEN: 'half-a-token-9876' }, 'half-a-token-9876'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://admin:hunter2-the-password@db/ledger' }, 'hunter2-the-password'],
  ])('GIVEN a malformed %s THEN the error names it and never shows its value', (name, env, value) => {
    let message = '';
    try {
      loadConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${name}:`);
    expect(message).not.toContain(value);
  });

  it('GIVEN tokens, a signing secret and a database password THEN they are the secrets the logs scrub', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: '0123456789abcdef0123', DATABASE_URL: 'postgres://bd:p%40ss-word@db/ledger', DISCORD_TOKEN: 'd'.repeat(30) });
    expect(secretsOf(config).sort()).toEqual(['0123456789abcdef0123', 'd'.repeat(30), 'p@ss-word', 'xoxb-1-abc'].sort());
  });

  it('GIVEN LOG_FORMAT, PORT and SHUTDOWN_GRACE_SECONDS THEN checked', () => {
    expect(loadConfig({ LOG_FORMAT: 'json', PORT: '0', SHUTDOWN_GRACE_SECONDS: '30' })).toMatchObject({ LOG_FORMAT: 'json', PORT: 0, SHUTDOWN_GRACE_SECONDS: 30 });
    expect(() => loadConfig({ LOG_FORMAT: 'xml', SHUTDOWN_GRACE_SECONDS: '0' })).toThrow(/LOG_FORMAT[\s\S]*SHUTDOWN_GRACE_SECONDS/);
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

describe('.env.example', () => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const documented = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);

  it('GIVEN the example THEN it documents every variable of src/config.ts, with nothing set', () => {
    for (const name of CONFIG_VARIABLES) expect(documented).toContain(name);
    expect(example).not.toMatch(/^[A-Z]/m);
  });

  it('GIVEN its placeholders uncommented THEN they parse', () => {
    const env = Object.fromEntries([...example.matchAll(/^# ?([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    // Socket Mode and HTTP mode are alternatives; the placeholders are meant one at a time.
    delete env.SLACK_APP_TOKEN;
    expect(() => loadConfig({ ...env, SLACK_SIGNING_SECRET: '0123456789abcdef0123' })).not.toThrow();
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
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['channels:history', 'chat:write', 'chat:write.public', 'commands', 'groups:history', 'usergroups:read']);
  });
});
