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

/** The database could not be reached; one clear line, no stack trace. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
