/**
 * Commands a surface runs at once after acknowledging them (COMMAND_CONCURRENCY
 * overrides). On a PostgreSQL server a lookup spends most of its time waiting for the
 * server, so more places keep it busy: at a million incidents on the 2-core bench
 * machine, with 50 people looking up and 5 reporting, 8 answered 53–55 lookups a second
 * against 34–41 with 4; the reports, which take turns on their year's reference
 * counter, were answered in about a second instead of a fifth of one, within Slack's
 * 3 s. Embedded PGlite runs one statement at a time: more places only queue in front
 * of it, ahead of the form submissions that must answer in time. bench/README.md.
 */
export const COMMAND_CONCURRENCY = { postgres: 8, pglite: 4 } as const;

export interface WorkQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Work with a deadline (a modal submission, type-ahead: Slack waits 3 s for the
   * answer): it starts at once while less than a quarter of the places (at least one)
   * hold urgent work (else it waits first in line among urgent work), and while any is
   * pending queued work gets the other places, so that both finish in time and neither
   * starves the other.
   */
  urgent<T>(work: () => Promise<T>): Promise<T>;
  /** Work started and not finished, and work waiting. */
  readonly running: number;
  readonly waiting: number;
}

/**
 * Runs at most `concurrency` pieces of work at once; the rest wait their turn in
 * arrival order. A surface acknowledges a command at once and then queues the work
 * behind it, so that fifty lookups at once do not hold fifty database connections
 * and starve the one thread that has to accept and acknowledge the next request.
 *
 * @example
 *   const commands = createWorkQueue(4);
 *   await ack();
 *   await commands.run(() => answer(command));
 */
export function createWorkQueue(concurrency: number): WorkQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`work queue concurrency must be a positive integer, not ${concurrency}`);
  let running = 0;
  let urgentRunning = 0;
  const waiting: (() => void)[] = [];
  const urgentWaiting: (() => void)[] = [];
  // Back-to-back reports holding every place left lookups waiting 10 s in the bench.
  // Urgent work holds at most a quarter of the places: with half, five people reporting
  // back to back were stored 1.5–2.7 times as often a second as the database alone
  // stores them beside the same lookups, and the lookups waited for it. With a quarter
  // the bench's lookups a second rose 11–54% and its reports' p95 stayed under 400 ms at
  // a million incidents (p99 0.9 s), within Slack's 3 s (bench/README.md).
  const urgentPlaces = Math.ceil(concurrency / 4);
  const queuedPlaces = Math.max(1, concurrency - urgentPlaces);
  const places = () => (urgentRunning + urgentWaiting.length > 0 ? queuedPlaces : concurrency);
  const startWaiting = () => {
    while (running < places() && waiting.length > 0) {
      running += 1;
      waiting.shift()!();
    }
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      // A place is taken before the work starts (here or in startWaiting), so a
      // newcomer cannot slip in between and make one too many.
      if (running < places() && waiting.length === 0) running += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        running -= 1;
        startWaiting();
      }
    },
    async urgent<T>(work: () => Promise<T>): Promise<T> {
      // As in run(): the place is taken before the work starts, here or when handed over.
      if (urgentRunning < urgentPlaces) urgentRunning += 1;
      else await new Promise<void>((resolve) => urgentWaiting.push(resolve));
      try {
        return await work();
      } finally {
        if (urgentWaiting.length > 0) urgentWaiting.shift()!();
        else urgentRunning -= 1;
        startWaiting();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
