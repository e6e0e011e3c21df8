import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandDefinitionError, loadCommands } from '../../src/chat/registry.js';

describe('the command registry', () => {
  let dir: string | undefined;
  afterEach(async () => dir && rm(dir, { recursive: true, force: true }));

  it('GIVEN commands/ THEN every command loads, with unique words', async () => {
    const names = (await loadCommands()).map((c) => c.name).sort();
    expect(names).toEqual(['alerts', 'clearance', 'edit', 'help', 'merge', 'more', 'repeats', 'report', 'retract', 'search', 'split', 'unwatch', 'victim', 'watch', 'watchlist', 'feeds'].sort());
  });

  it.each([
    ['no default export', 'export const x = 1;', /broken\.js: export default defineCommand/],
    ['no run', "export default { name: 'broken', description: 'd', usage: '/incident broken', examples: [], parse: () => ({}), options: { safeParse() {} } };", /broken\.js: run\(context\) is missing/],
    ['a bad name', "export default { name: 'Broken Thing', description: 'd', usage: '/incident x', examples: [], parse() {}, run() {}, options: { safeParse() {} } };", /broken\.js: name must be a lower-case word/],
  ])('GIVEN a command file with %s THEN loading throws naming the file', async (_what, source, message) => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-commands-'));
    await writeFile(path.join(dir, 'broken.js'), source);
    const load = loadCommands(pathToFileURL(`${dir}/`));
    await expect(load).rejects.toBeInstanceOf(CommandDefinitionError);
    await expect(load).rejects.toThrow(message);
  });
});
