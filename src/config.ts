import { z } from 'zod';

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().max(36_500).default(fallback);

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^(postgres(ql)?:\/\/|pglite:)/.test(v), {
      message: 'must start with postgres://, postgresql:// or pglite: (e.g. pglite:memory)',
    })
    .optional(),
  REPEAT_WINDOW_DAYS: positiveInt(365),
  /** Unset: info for chat surfaces, warn in the terminal shell (its output is the conversation). */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

/** Thrown with every problem of the environment at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment once. Nothing else in breachdesk reads `process.env`.
 *
 * @example
 *   const config = loadConfig(process.env);
 *   config.REPEAT_WINDOW_DAYS; // 365 unless set
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
