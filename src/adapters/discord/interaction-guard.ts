import type { Client } from 'discord.js';
import type { Logger } from '../../log.js';

/**
 * discord.js builds an interaction from the gateway's INTERACTION_CREATE inside its
 * packet handler, where a throw is uncaught and ends the process: one malformed
 * dispatch (no data, a null payload, a field of the wrong type) would stop the bot
 * for every server. Building it is wrapped here, so such a dispatch is logged and
 * ignored. `actions` is internal to discord.js, hence the cast; a future version
 * without it leaves the guard out rather than failing.
 */
export function guardInteractions(client: Client, log: Logger): void {
  const action = (client as unknown as { actions?: { InteractionCreate?: { handle?: (data: unknown) => unknown } } }).actions?.InteractionCreate;
  const handle = action?.handle?.bind(action);
  if (!action || !handle) return;
  action.handle = (data: unknown) => {
    try {
      return handle(data);
    } catch (error) {
      const id = typeof data === 'object' && data !== null && 'id' in data ? String(data.id) : null;
      log.warn('discord: ignored a malformed interaction', { interaction: id, error });
      return undefined;
    }
  };
}
