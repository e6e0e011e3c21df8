import { describe, expect, it } from 'vitest';
import { ConfigError, httpPort, loadConfig } from '../src/config.js';

// The settings that let several processes share a host and split Discord's gateway.

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};
const SLACK_HTTP = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: '0123456789abcdef0123' };

describe('PORT for several processes on one host', () => {
  it.each([
    ['3001', 3001],
    ['0', 0],
    ['off', null],
    [' OFF ', null],
  ])('GIVEN PORT=%j THEN the HTTP port is %j', (value, port) => {
    expect(httpPort(loadConfig({ PORT: value }))).toBe(port);
  });

  it.each(['-1', '65536', 'none', '30 00'])('GIVEN PORT=%j THEN one sentence naming PORT, its range, 0 and off', (value) => {
    expect(problems({ PORT: value })).toEqual(['PORT must be a port number from 0 to 65535 (0 takes any free port) or off (no HTTP server), e.g. 3000']);
  });

  it('GIVEN PORT=off with Slack in HTTP mode THEN refused, since Slack\'s requests arrive on it; in Socket Mode or with Discord THEN allowed', () => {
    expect(problems({ ...SLACK_HTTP, PORT: 'off' })).toEqual([expect.stringMatching(/^PORT cannot be off in Slack's HTTP mode/)]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', PORT: 'off' })).toEqual([]);
    expect(problems({ DISCORD_TOKEN: 'd'.repeat(30), PORT: 'off' })).toEqual([]);
  });
});

describe('SHARD_COUNT and SHARD_IDS', () => {
  it.each([
    [{ SHARD_COUNT: '2' }, 2, undefined],
    [{ SHARD_COUNT: '2', SHARD_IDS: '1' }, 2, [1]],
    [{ SHARD_COUNT: '8', SHARD_IDS: '0-2, 6 7,2' }, 8, [0, 1, 2, 6, 7]],
  ])('GIVEN %o THEN %j shards in all, this process running %j', (env, count, ids) => {
    const config = loadConfig(env);
    expect(config.SHARD_COUNT).toBe(count);
    expect(config.SHARD_IDS).toEqual(ids);
  });

  it.each([
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT must be the number of Discord gateway shards in all, a whole number from 1 to 10000, e.g. 2'],
    [{ SHARD_COUNT: 'auto' }, 'SHARD_COUNT must be the number of Discord gateway shards in all, a whole number from 1 to 10000, e.g. 2'],
    [{ SHARD_IDS: '0' }, 'SHARD_IDS needs SHARD_COUNT, the number of shards in all, e.g. SHARD_COUNT=2 SHARD_IDS=0'],
    [{ SHARD_COUNT: '2', SHARD_IDS: '0,2' }, 'SHARD_IDS must be shard ids from 0 to 1, below SHARD_COUNT'],
    [{ SHARD_COUNT: '2', SHARD_IDS: 'first' }, 'SHARD_IDS must be shard ids such as 0,1 or ranges such as 0-3, separated by commas'],
    [{ SHARD_COUNT: '4', SHARD_IDS: '3-1' }, 'SHARD_IDS must name at least one shard: a range runs from the lower id to the higher, e.g. 0-3'],
  ])('GIVEN %o THEN %j', (env, message) => {
    expect(problems(env)).toEqual([message]);
  });
});
