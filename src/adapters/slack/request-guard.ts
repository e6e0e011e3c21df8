import { HTTPModuleFunctions } from '@slack/bolt';
import type { HTTPReceiver } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.js';

/**
 * Bolt's HTTP receiver handles each request in a promise nobody awaits, and reads
 * `body.ssl_check` of whatever the body parsed to: a signed body of `null` (or
 * `payload=null`) rejects that promise and, unhandled, ends the whole process. This
 * reads the body first, with Bolt's own limit and parser, and answers such a body
 * 400 itself; everything else goes to Bolt as it came (Bolt does not read a body
 * twice, it takes the one read here). Bolt also refuses only stale timestamps: one
 * more than five minutes ahead would stretch the window a captured request can be
 * replayed in, so it is refused here (401), as Slack's own rule says.
 */
const FIVE_MINUTES = 300;

export function guardRequests(receiver: HTTPReceiver, log: Logger, path = '/slack/events'): void {
  const listen = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== path) {
      listen(req, res);
      return;
    }
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (timestamp > Date.now() / 1000 + FIVE_MINUTES) {
      log.warn('slack: refused a request whose timestamp is more than five minutes ahead');
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }
    HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit).then((buffered) => {
      if (parsesToNull(buffered)) {
        log.warn('slack: refused a request whose body is null');
        HTTPModuleFunctions.buildNoBodyResponse(res, 400);
        return;
      }
      listen(buffered, res);
    }, (error: unknown) => {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413);
      log.warn(tooLarge ? `slack: Request body exceeded the maximum allowed size (limit: ${HTTPModuleFunctions.defaultBodyLimit} bytes)` : 'slack: could not read the request body', { error });
      if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, tooLarge ? 413 : 400);
    });
  };
}

function parsesToNull(req: Parameters<typeof HTTPModuleFunctions.parseHTTPRequestBody>[0]): boolean {
  try {
    return HTTPModuleFunctions.parseHTTPRequestBody(req) === null;
  } catch {
    return false; // Malformed: Bolt says so and answers 400.
  }
}
