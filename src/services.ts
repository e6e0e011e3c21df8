import type { AlertPublisher } from './alerts/publisher.js';
import type { Command } from './chat/command.js';
import type { Ledger } from './incidents/ledger.js';
import type { Logger } from './log.js';

/** What a command may use: the core, never a platform. */
export interface Services {
  ledger: Ledger;
  alerts: AlertPublisher;
  /** Every command, for help. */
  commands: readonly Command[];
  log: Logger;
}
