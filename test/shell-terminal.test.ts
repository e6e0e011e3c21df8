import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './support/run-cli.js';

/**
 * The shell on a real pseudo-terminal (util-linux `script` gives the process one):
 * prompt, colour, tab completion and up-arrow history, typed key by key.
 */
describe('the terminal shell on a pseudo-terminal', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-pty-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN keys typed at the prompt THEN colour, tab completion and history work', async () => {
    const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} start`, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', DATABASE_URL: `pglite:${path.join(dir, 'db')}` },
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const plain = () => screen.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    const waitFor = async (pattern: RegExp, count = 1) => {
      const deadline = Date.now() + 30_000;
      while ((plain().match(new RegExp(pattern.source, 'g'))?.length ?? 0) < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${plain()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const type = (keys: string) => child.stdin.write(keys);

    try {
      await waitFor(/incident> /);
      type('/incident odessa\r');
      await waitFor(/Results for “odessa”/);
      expect(screen).toContain('\u001b[1mCity of Odessa\u001b[22m');

      type('\u001b[A');            // up arrow: the last command again
      await waitFor(/incident> \/incident odessa/, 2);
      type('\r');
      await waitFor(/Results for “odessa”/, 2);

      type('/incident repo\t');    // tab: completes the command word
      await waitFor(/\/incident report/);
      type(' City of Od\t');        // tab: completes a victim name from the ledger
      await waitFor(/\/incident report City of Odessa/);
      type('\r');
      await waitFor(/Victim \(required\)/);
      type('.cancel\r');
      await waitFor(/Not recorded/);
      type('exit\r');
      await closed;
    } finally {
      child.kill();
    }
  });
});
