import type { Readable, Writable } from 'node:stream';
import type { AlertSender } from '../../alerts/alert-sender.js';
import type { Actor, ChannelRef } from '../../identity.js';
import type { Reply } from '../../chat/reply.js';
import type { Dispatcher } from '../../chat/dispatcher.js';
import type { Message } from '../../presentation/message.js';
import { FormCancelled, walkForm } from './form-walk.js';
import { numberedActions, renderForTerminal } from './render.js';
import { TerminalIO } from './terminal-io.js';
import type { ChatSurface } from '../surface.js';

/** The shell is one channel: what is subscribed here prints inline. */
export const SHELL_CHANNEL: ChannelRef = { platform: 'shell', workspace: null, channelId: 'terminal' };

export interface ShellOptions {
  dispatcher: Dispatcher;
  input: Readable & { isTTY?: boolean };
  output: Writable & { isTTY?: boolean };
  /** Colour on a terminal unless NO_COLOR is set. */
  color: boolean;
  /** Printed before the first prompt. */
  banner: string;
  user: string;
}

/**
 * The terminal's chat surface. Nothing to connect: `start()` resolves at once,
 * `health()` is null, and its one channel has no workspace. `run()` is the
 * foreground the process waits on.
 */
export interface Shell extends ChatSurface {
  /** Reads commands until the input ends or the person types exit. */
  run(): Promise<void>;
  /** Prints alerts for the shell's channel, as they would post. */
  alertSender: AlertSender;
  health(): null;
  close(): void;
}

/**
 * The terminal shell, a first-class chat surface as Hubot's is: a typed
 * `/incident odessa` (or just `odessa`) goes through the same dispatcher as Slack
 * and Discord, and the reply is rendered as text.
 */
export function createShell(options: ShellOptions): Shell {
  const { dispatcher } = options;
  const actor: Actor = { platform: 'shell', workspace: null, userId: options.user, displayName: options.user, canManageChannel: true };
  const io = new TerminalIO(options.input, options.output, complete);
  const render = (m: Message) => renderForTerminal(m, { color: options.color });
  let lastActions: string[] = [];

  async function complete(line: string): Promise<[string[], string]> {
    const words = dispatcher.commands.filter((c) => !c.hidden).flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    const prefix = /^\/incident\s+/.test(line) ? line.match(/^\/incident\s+/)![0] : '';
    const rest = line.slice(prefix.length);
    if (!rest.includes(' ')) {
      const all = [...words.filter((w) => w.startsWith(rest.toLowerCase())), ...(await victimNames(rest))];
      return [all.map((w) => `${prefix}${w}`), line];
    }
    const { command, rest: after } = dispatcher.route(rest);
    if (command.suggests === 'victims') {
      const head = line.slice(0, line.length - after.length);
      return [(await victimNames(after)).map((name) => `${head}${name}`), line];
    }
    return [[], line];
  }

  // Victim names that continue what was typed ("City of O" → "City of Odessa").
  async function victimNames(typed: string): Promise<string[]> {
    if (typed.trim().length < 2) return [];
    const names = (await dispatcher.suggest('victims', typed, 10)).map((c) => c.label.replace(/ \(.*\)$/, ''));
    return names.filter((n) => n.toLowerCase().startsWith(typed.toLowerCase()));
  }

  async function show(reply: Reply): Promise<void> {
    if (reply.kind === 'form') {
      try {
        const done = await walkForm(reply.form, io, dispatcher, { actor, channel: SHELL_CHANNEL });
        await show(done);
      } catch (error) {
        if (!(error instanceof FormCancelled)) throw error;
        io.print(`Not recorded${error.message ? ` (${error.message})` : ''}.`);
      }
      return;
    }
    lastActions = numberedActions(reply.message);
    io.print(`${render(reply.message)}\n`);
    if (lastActions.length > 0 && io.interactive) io.print(render({ fallback: '', blocks: [{ type: 'context', text: 'Type a number to press that button.' }] }));
  }

  return {
    platform: 'shell',
    start: () => Promise.resolve(),
    stop() {
      io.close();
      return Promise.resolve();
    },
    health: () => null,
    workspaceOf: () => Promise.resolve(null),
    async run() {
      io.print(options.banner);
      for (;;) {
        const line = await io.ask('incident> ');
        if (line === null) break;
        const text = line.trim();
        if (text === '') continue;
        if (['exit', 'quit', '.exit'].includes(text)) break;
        let command = text;
        if (/^\d+$/.test(text)) {
          const pressed = lastActions[Number(text) - 1];
          if (!pressed) {
            io.print(`There is no button ${text}.`);
            continue;
          }
          command = pressed;
        } else if (text.startsWith('/') && !/^\/incident\b/i.test(text)) {
          io.print(`Unknown command ${text.split(/\s/)[0]}; type /incident help.`);
          continue;
        }
        await show(await dispatcher.invoke({ text: command, actor, channel: SHELL_CHANNEL }));
      }
      io.close();
    },
    alertSender: {
      send(_channel, message) {
        io.print(`\n${render({ fallback: '', blocks: [{ type: 'context', text: '🔔 alert in this terminal' }] })}\n${render(message)}\n`);
        return Promise.resolve({ messageId: null });
      },
    },
    close() {
      io.close();
    },
  };
}
