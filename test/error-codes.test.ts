import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

// The error codes are a contract with programs that read `--json`: the table in
// docs/command-line.md and the union in src/errors.ts name the same codes.
describe('error codes', () => {
  it('GIVEN the codes in src/errors.ts THEN docs/command-line.md names each, and no other', async () => {
    const docs = await readFile(new URL('../docs/command-line.md', import.meta.url), 'utf8');
    const table = docs.slice(docs.indexOf('| code | meaning |'), docs.indexOf('## An incident submission'));
    const documented = [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([a-z_]+)`/g)].map((c) => c[1]!));
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
  });
});
