import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, httpPort, loadConfig, secretsOf, slackMode } from '../src/config.js';

/** The sentences of a refused configuration, or none. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

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
    expect(message).toContain(`${name} `);
    expect(message).not.toContain(value);
  });

  it('GIVEN REPEAT_WINDOW_DAYS=abc THEN one sentence naming it and an example, not the parser\'s words', () => {
    expect(problemsOf({ REPEAT_WINDOW_DAYS: 'abc' })).toEqual(['REPEAT_WINDOW_DAYS must be a whole number of days from 1 to 36500, e.g. 365']);
  });

  it.each([
    ['REPEAT_WINDOW_DAYS', ['abc', '1.5', '-1', '0', '1e3', '36501', '0x10'], /^REPEAT_WINDOW_DAYS must be a whole number of days from 1 to 36500, e\.g\. 365$/],
    ['ALERT_DIGEST_HOUR_UTC', ['nine', '24', '-1', '9.5'], /^ALERT_DIGEST_HOUR_UTC must be an hour of the day \(UTC\) from 0 to 23, e\.g\. 9$/],
    ['ALERT_LEASE_SECONDS', ['a minute', '0', '3601'], /^ALERT_LEASE_SECONDS must be a whole number of seconds from 1 to 3600, e\.g\. 60$/],
    ['PORT', ['http', '-1', '65536', '80.5'], /^PORT must be a port number from 0 to 65535\b.*, e\.g\. 3000$/],
    ['SHUTDOWN_GRACE_SECONDS', ['ten', '0', '601'], /^SHUTDOWN_GRACE_SECONDS must be a whole number of seconds from 1 to 600, e\.g\. 10$/],
    ['COMMAND_CONCURRENCY', ['many', '0', '65', '2.5'], /^COMMAND_CONCURRENCY must be a whole number of commands from 1 to 64, e\.g\. 8$/],
    ['LOG_LEVEL', ['verbose', '3'], /^LOG_LEVEL must be one of debug, info, warn, error, silent$/],
    ['LOG_FORMAT', ['xml'], /^LOG_FORMAT must be one of json, pretty$/],
    ['TLP_DEFAULT', ['purple'], /^TLP_DEFAULT must be one of clear, green, amber, amber\+strict, red$/],
    ['CHANNEL_CLEARANCE_DEFAULT', ['purple'], /^CHANNEL_CLEARANCE_DEFAULT must be one of clear, green, amber, amber\+strict, red$/],
  ])('GIVEN a bad %s THEN the one sentence for each of %j', (name, values, sentence) => {
    for (const value of values) expect(problemsOf({ [name]: value }), value).toEqual([expect.stringMatching(sentence)]);
  });

  it('GIVEN good numbers and words, with spaces or in capitals THEN read as meant', () => {
    expect(loadConfig({ REPEAT_WINDOW_DAYS: ' 30 ', PORT: '0', ALERT_DIGEST_HOUR_UTC: '0', LOG_LEVEL: 'DEBUG', LOG_FORMAT: 'Json', COMMAND_CONCURRENCY: ' 12 ' }))
      .toMatchObject({ REPEAT_WINDOW_DAYS: 30, PORT: 0, ALERT_DIGEST_HOUR_UTC: 0, LOG_LEVEL: 'debug', LOG_FORMAT: 'json', COMMAND_CONCURRENCY: 12 });
  });

  it('GIVEN any setting set to nonsense THEN it is accepted, or refused in sentences that each begin with a setting\'s name', () => {
    const sentence = new RegExp(`^(${CONFIG_VARIABLES.join('|')}) (must|cannot|looks|is|or) `);
    for (const name of CONFIG_VARIABLES) {
      for (const value of ['abc', '-1.5', '%%']) {
        for (const problem of problemsOf({ [name]: value })) {
          expect(problem, `${name}=${value}`).toMatch(sentence);
          expect(problem, `${name}=${value}`).not.toMatch(/expected|received|Invalid/);
        }
      }
    }
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
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is needed/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: '0123456789abcdef0123' })).toThrow(/SLACK_BOT_TOKEN is needed for Slack/);
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
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['channels:history', 'chat:write', 'chat:write.public', 'commands', 'files:read', 'files:write', 'groups:history', 'usergroups:read']);
  });
});
