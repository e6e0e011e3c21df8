import type { Dispatcher } from '../chat/dispatcher.js';
import type { BotMetrics } from './metrics.js';

/**
 * The same dispatcher, timing every command and form submission into the metrics:
 * the command is the one the text routes to (`search` for `/incident odessa`).
 */
export function instrumentDispatcher(dispatcher: Dispatcher, metrics: BotMetrics): Dispatcher {
  return {
    ...dispatcher,
    commands: dispatcher.commands,
    async invoke(invocation) {
      const started = process.hrtime.bigint();
      try {
        return await dispatcher.invoke(invocation);
      } finally {
        metrics.observeCommand(dispatcher.route(invocation.text).command.name, invocation.actor.platform, seconds(started));
      }
    },
    async submit(submission) {
      const started = process.hrtime.bigint();
      try {
        return await dispatcher.submit(submission);
      } finally {
        metrics.observeSubmission(submission.formId, submission.actor.platform, seconds(started));
      }
    },
  };
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
