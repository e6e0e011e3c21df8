import pino from 'pino';
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';
import { REDACTED, REDACT_PATHS, scrub, scrubText } from './redaction.js';

/** A logger prints its level and above; `silent` prints nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Where lines go; standard error by default (standard output belongs to the shell). */
  write?: (line: string) => void;
  /** `pretty` for people (the default on a terminal), `json` lines for machines (otherwise). */
  format?: 'json' | 'pretty';
  /** Secret values this process holds (tokens, the database password): scrubbed wherever they appear. */
  secrets?: readonly string[];
  /** Colour in the pretty format (off with NO_COLOR). */
  color?: boolean;
}

/**
 * Structured logs through pino: JSON lines, or pino-pretty's single lines on a
 * terminal. Known secret fields are redacted and secret-looking values scrubbed
 * (src/redaction.ts); errors print their type and message, their stack only at
 * debug level.
 *
 * @example
 *   const log = createLogger('info', { secrets: [config.SLACK_BOT_TOKEN] });
 *   log.warn('alert delivery will be retried', { channel: 'C123', attempts: 2 });
 */
export function createLogger(level: LogLevel, options: LoggerOptions | LoggerOptions['write'] = {}): Logger {
  const { write, format, secrets = [], color = true } = typeof options === 'function' ? { write: options } : options;
  const withStack = level === 'debug';
  const stream = destination(format ?? (!write && process.stderr.isTTY ? 'pretty' : 'json'), write, color);
  const logger = pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  }, stream);
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (message: string, fields: Record<string, unknown> = {}) => {
    if (!logger.isLevelEnabled(lvl)) return;
    logger[lvl](scrub(fields, { known: secrets, withStack }) as object, scrubText(message, secrets));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function destination(format: 'json' | 'pretty', write: ((line: string) => void) | undefined, color: boolean): pino.DestinationStream {
  const out = write ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (format === 'json') return write ? { write: (chunk: string) => out(chunk.replace(/\n$/, '')) } : pino.destination({ dest: 2, sync: true });
  // Formatted in this thread, line by line: no worker, nothing lost at exit.
  // Loaded only for people: a JSON-logging service never pays its memory.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  const prettify = prettyFactory({ colorize: !write && color, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return { write: (chunk: string) => out(prettify(chunk).replace(/\n$/, '')) };
}
