import { privately } from '../chat/reply.js';
import type { Dispatcher } from '../chat/dispatcher.js';
import { textMessage } from '../presentation/message.js';

export const RESTARTING = 'breachdesk is restarting; try again in a moment.';

/** A dispatcher that can stop taking new commands and tell when the ones in flight are done. */
export interface GatedDispatcher {
  dispatcher: Dispatcher;
  /** From now on a new command is answered with `RESTARTING`. */
  close(): void;
  readonly closed: boolean;
  /** Resolves when no command or form submission is in flight. */
  idle(): Promise<void>;
}

/**
 * Shutdown's front door. Once closed, a new `/incident …` gets a short "restarting"
 * answer; a form already open may still be submitted (the person's typing is not
 * thrown away), and everything in flight is waited for.
 */
export function gateDispatcher(inner: Dispatcher): GatedDispatcher {
  let closed = false;
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    try {
      return await work();
    } finally {
      inFlight -= 1;
      if (inFlight === 0) for (const resolve of waiters.splice(0)) resolve();
    }
  };
  const dispatcher: Dispatcher = {
    ...inner,
    commands: inner.commands,
    invoke: (invocation) => (closed ? Promise.resolve(privately(textMessage(RESTARTING))) : track(() => inner.invoke(invocation))),
    submit: (submission) => track(() => inner.submit(submission)),
  };
  return {
    dispatcher,
    close: () => {
      closed = true;
    },
    get closed() {
      return closed;
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}
