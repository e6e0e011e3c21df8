/**
 * Expected failures: a person asked for something we refuse or cannot do. Their
 * message is shown to that person as it is. Anything else is a bug, logged with an
 * id and answered with a short generic message.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(
    message: string,
    readonly code: string = 'user_error',
  ) {
    super(message);
  }
}

/** One problem with one field of a submission, in words a person understands. */
export interface FieldError {
  /** Dotted path of the field, e.g. `victim.country` or `sources.1`. */
  field: string;
  message: string;
}

/** A submission that failed validation; nothing was stored. */
export class ValidationError extends UserError {
  override readonly name = 'ValidationError';
  constructor(readonly fieldErrors: FieldError[]) {
    super(
      fieldErrors.map((e) => `${e.field}: ${e.message}`).join('\n'),
      'invalid_submission',
    );
  }
}

/** What a person hears while the database is down: no error id, nothing to quote. */
export const LEDGER_UNAVAILABLE = 'The ledger is unavailable right now; try again shortly.';

/**
 * The database could not be reached, or went away mid-query (src/db/database.ts maps
 * pg's connection errors to it). Not a UserError: its message is for the operator
 * (which server, why); chat answers it with `LEDGER_UNAVAILABLE`, and the alert
 * dispatcher leaves deliveries waiting.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
