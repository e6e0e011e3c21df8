import type { FeedBook } from './interop/feeds/feed-book.js';
import type { Ledger } from './ledger.js';
import type { Logger } from './log.js';
import type { TrustPolicy } from './trust/permissions.js';

/** What a command may use: the core, never a platform. */
export interface Services {
  ledger: Ledger;
  /** Asks the alert dispatcher to deliver what a command just queued, without waiting for the database's wake-up. */
  wakeAlerts(): void;
  log: Logger;
  /** Who may do what (configuration); open to everyone when not given. */
  trust?: TrustPolicy;
  /** The public feeds polled on schedules (`/incident feeds`); absent where none can be. */
  feeds?: FeedBook;
}
