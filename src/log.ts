/** Levels in order; a logger prints its level and above. */
const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A small line logger to standard error (standard output belongs to the shell).
 * Errors print their message; their stack only at debug level.
 */
export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const threshold = LEVELS.indexOf(level);
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (message: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS.indexOf(lvl) < threshold) return;
    const parts = Object.entries(fields).map(([k, v]) => `${k}=${format(v, level === 'debug')}`);
    write([new Date().toISOString(), lvl.toUpperCase(), message, ...parts].join(' '));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function format(value: unknown, withStack: boolean): string {
  if (value instanceof Error) return JSON.stringify(withStack && value.stack ? value.stack : `${value.name}: ${value.message}`);
  if (typeof value === 'string') return /^[\w.:/@-]*$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
