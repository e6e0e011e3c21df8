/**
 * Why a request was refused, as programs read it: the `code` of a UserError, of the
 * command line's `--json` error document, and what tests assert. A person reads the
 * message; the code stays the same when the words change.
 */
export const ERROR_CODES = [
  'user_error', // refused, for the reason the message gives
  'usage', // the command line was called wrongly (exit 2)
  'invalid_submission', // a field of an incident is wrong: `fields` names each
  'victim_needs_confirmation', // the victim is only similar to known ones: `candidates`
  'same_event_needs_confirmation', // the report looks like an incident the victim has
  'unknown_incident',
  'unknown_victim',
  'unknown_technique',
  'other_victim', // two incidents, or a report and an incident, of different victims
  'not_permitted', // not this person's to change
  'wider_marking', // joined, a stricter-marked report would show to a wider audience
  'already_merged',
  'joined_report', // a report of another incident, not an incident
  'not_a_report',
  'same_incident',
  'retracted',
  'dates_disagree',
  'not_a_channel',
  'schema_behind', // the database needs `breachdesk migrate`
  'port_unavailable',
  'not_a_backup', // the file is not a breachdesk backup
  'backup_damaged', // a backup cut short or changed after it was written (its checksums say so)
  'schema_ahead', // a backup or database of a newer schema than this breachdesk knows
  'target_not_empty', // restore or move into a database that already holds a ledger
  'move_incomplete', // the database holds an interrupted move
  'ledger_in_use', // an embedded ledger another process has open (PGlite serves one)
  'not_the_format', // import hhs|hibp|ransomware, or a feed: the file or body is not that source's format
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Expected failures: a person asked for something we refuse or cannot do. Their
 * message is shown to that person as it is. Anything else is a bug, logged with an
 * id and answered with a short generic message.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(
    message: string,
    readonly code: ErrorCode = 'user_error',
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
