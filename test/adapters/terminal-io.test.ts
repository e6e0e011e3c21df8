import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminalIO } from '../../src/adapters/shell/terminal-io.js';

/** Reads lines until null, pausing between them as a shell does while a command runs. */
async function readAll(io: TerminalIO): Promise<string[]> {
  const lines: string[] = [];
  for (let line = await io.ask('> '); line !== null; line = await io.ask('> ')) {
    lines.push(line);
    await new Promise((r) => setTimeout(r, 20));
  }
  return lines;
}

describe('TerminalIO on piped input', () => {
  it('GIVEN lines whose input has already ended THEN every line is read, then the end', async () => {
    const input = new PassThrough();
    const io = new TerminalIO(input, new PassThrough());
    input.end('/incident report\nCity of Odessa\n2020-04\n');
    expect(await readAll(io)).toEqual(['/incident report', 'City of Odessa', '2020-04']);
  });

  it('GIVEN close() (exit, a signal) with lines still unread THEN no further line is read', async () => {
    const input = new PassThrough();
    const io = new TerminalIO(input, new PassThrough());
    input.write('first\nsecond\nthird\n');
    expect(await io.ask('> ')).toBe('first');
    io.close();
    expect(await io.ask('> ')).toBeNull();
  });
});
