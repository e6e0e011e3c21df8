import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { LogLevel } from '../../src/log.js';

const SLACK_BOT = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const SLACK_USER = 'xoxp-2222222222-3333333333-ZyXwVuTsRqPoNmLkJiHgFeDc';
const SLACK_APP = 'xapp-1-A0123456789-1234567890123-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const DISCORD = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
const SIGNING = '8f742231b10e8888abcd99yyyzzz85a5';
const DB_PASSWORD = 'correct-horse-battery-staple';

function capture(level: LogLevel, secrets: string[] = []) {
  const lines: string[] = [];
  return { log: createLogger(level, { write: (l) => lines.push(l), format: 'json', secrets }), lines, text: () => lines.join('\n') };
}

describe('structured logs', () => {
  it('GIVEN a message with fields THEN one JSON line with the level, the message and the fields', () => {
    const { log, lines } = capture('info');
    log.info('alert delivery will be retried', { channel: 'C123', attempts: 2 });
    log.debug('not at info');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'alert delivery will be retried', channel: 'C123', attempts: 2 });
  });

  it('GIVEN LOG_LEVEL silent THEN nothing at all', () => {
    const { log, lines } = capture('silent');
    log.error('even errors', { error: new Error('boom') });
    expect(lines).toEqual([]);
  });

  it('GIVEN an error THEN its message, and its stack only at debug level', () => {
    const info = capture('info');
    info.log.error('failed', { error: new Error('the reason') });
    expect(JSON.parse(info.lines[0]!)).toMatchObject({ error: { type: 'Error', message: 'the reason' } });
    expect(info.text()).not.toContain('log-redaction.test.ts');
    const debug = capture('debug');
    debug.log.error('failed', { error: new Error('the reason') });
    expect(debug.text()).toContain('log-redaction.test.ts');
  });
});

describe('redaction: no token or secret reaches a log line', () => {
  it.each<LogLevel>(['debug', 'info'])('GIVEN secrets in keys, values, URLs, errors and messages at %s THEN none is printed', (level) => {
    const { log, text } = capture(level, [SIGNING, DB_PASSWORD]);
    log.info(`connecting with ${SLACK_BOT}`, {
      token: 'plain-looking-token-value',
      botToken: SLACK_BOT,
      signingSecret: SIGNING,
      headers: { authorization: `Bearer ${SLACK_USER}`, Authorization: `Bot ${DISCORD}` },
      config: { db: { password: DB_PASSWORD } },
      url: `postgres://breachdesk:${DB_PASSWORD}@db.internal:5432/ledger`,
      conninfo: `host=db.internal user=breachdesk password=${DB_PASSWORD}`,
      nested: [{ deep: { deeper: { text: `socket mode with ${SLACK_APP}` } } }],
      DATABASE_URL: 'postgres://u:otherpw@h/db',
    });
    log.error('slack request failed', {
      error: new Error(`An API error occurred: invalid_auth for token ${SLACK_BOT} (signing secret ${SIGNING})`),
      cause: Object.assign(new Error(`connect to postgres://u:${DB_PASSWORD}@h/db failed`), { code: 'ECONNREFUSED' }),
    });
    log.warn(`discord said 401 for Bot ${DISCORD}`);
    const out = text();
    for (const secret of [SLACK_BOT, SLACK_USER, SLACK_APP, DISCORD, SIGNING, DB_PASSWORD, 'plain-looking-token-value', 'otherpw']) {
      expect(out).not.toContain(secret);
    }
    // What is not secret survives, so the line still says what happened.
    expect(out).toContain('db.internal:5432/ledger');
    expect(out).toContain('invalid_auth');
    expect(out).toContain('ECONNREFUSED');
    expect(out).toContain('[redacted]');
  });

  it('GIVEN the pretty format THEN the same redaction', () => {
    const lines: string[] = [];
    const log = createLogger('debug', { write: (l) => lines.push(l), format: 'pretty', secrets: [SIGNING] });
    log.info('started', { botToken: SLACK_BOT, note: `secret ${SIGNING}`, error: new Error(`bad ${SLACK_APP}`) });
    const out = lines.join('\n');
    expect(out).toContain('started');
    for (const secret of [SLACK_BOT, SIGNING, SLACK_APP]) expect(out).not.toContain(secret);
  });
});
