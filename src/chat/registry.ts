import { readdir } from 'node:fs/promises';
import type { Command } from './command.js';

const COMMANDS_DIR = new URL('../../commands/', import.meta.url);

/** A command file that is not a valid command; the message names the file. */
export class CommandDefinitionError extends Error {
  override readonly name = 'CommandDefinitionError';
}

/**
 * Loads every command in `commands/` and checks it, throwing with the file's name
 * at the first one that is wrong — a bad file never silently drops out of the bot.
 */
export async function loadCommands(dir: URL = COMMANDS_DIR): Promise<Command[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.test.ts')).sort();
  const commands: Command[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, dir).href)) as { default?: unknown };
    commands.push(checkCommand(module.default, `commands/${file}`));
  }
  return checkNames(commands);
}

export function checkCommand(candidate: unknown, where: string): Command {
  const c = candidate as Partial<Command> | undefined;
  const problems: string[] = [];
  if (!c || typeof c !== 'object') throw new CommandDefinitionError(`${where}: export default defineCommand({ … }) is missing`);
  if (typeof c.name !== 'string' || !/^[a-z][a-z-]*$/.test(c.name)) problems.push('name must be a lower-case word');
  if (typeof c.description !== 'string' || c.description.length === 0 || c.description.length > 100) problems.push('description must be 1–100 characters');
  if (typeof c.usage !== 'string' || !c.usage.startsWith('/incident')) problems.push('usage must start with /incident');
  if (!Array.isArray(c.examples)) problems.push('examples must be a list');
  if (typeof c.parse !== 'function') problems.push('parse(text) is missing');
  if (typeof c.run !== 'function') problems.push('run(context) is missing');
  if (!c.options || typeof (c.options as { safeParse?: unknown }).safeParse !== 'function') problems.push('options must be a zod schema');
  if (problems.length > 0) throw new CommandDefinitionError(`${where}: ${problems.join('; ')}`);
  return c as Command;
}

function checkNames(commands: Command[]): Command[] {
  const seen = new Map<string, string>();
  for (const c of commands) {
    for (const word of [c.name, ...(c.aliases ?? [])]) {
      const other = seen.get(word);
      if (other) throw new CommandDefinitionError(`commands: "${word}" is claimed by both ${other} and ${c.name}`);
      seen.set(word, c.name);
    }
  }
  // The dispatcher routes text that names no command by these declarations.
  for (const fallback of ['empty', 'unknown-word'] as const) {
    const claimed = commands.filter((c) => c.fallback === fallback).map((c) => c.name);
    if (claimed.length !== 1) throw new CommandDefinitionError(`commands: exactly one command must declare fallback: '${fallback}' (${claimed.length === 0 ? 'none does' : claimed.join(', ')})`);
  }
  return commands;
}
