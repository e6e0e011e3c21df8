import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The lint rules that keep the layers (eslint.config.js), shown failing on deliberate
// violations: snippets linted as if they stood at a path, with the project's own config.
// Type-aware rules are off here: they need the file on disk, and these rules need no types.
const eslint = new ESLint({
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  overrideConfig: [tseslint.configs.disableTypeChecked],
});

async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layers lint rule', () => {
  it.each([
    ['src/incidents/layer-violation.ts', "import type { Reply } from '../chat/reply.js';\nexport type R = Reply;\n"],
    ['src/alerts/layer-violation.ts', "import { privately } from '../chat/reply.js';\nexport const p = privately;\n"],
    ['src/trust/layer-violation.ts', "import type { SlackSurface } from '../adapters/slack/slack-surface.js';\nexport type S = SlackSurface;\n"],
    ['src/db/layer-violation.ts', "import help from '../../commands/help.js';\nexport const h = help;\n"],
  ])('GIVEN %s importing a higher layer THEN lint refuses it', async (filePath, code) => {
    const found = await problems(code, filePath);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^no-restricted-imports: .* never import them/);
  });

  it('GIVEN src/incidents importing what lies below it THEN lint says nothing', async () => {
    const code = "import type { Actor } from '../identity.js';\nimport type { Viewer } from '../trust/tlp.js';\nexport type A = [Actor, Viewer];\n";
    expect(await problems(code, 'src/incidents/layer-violation.ts')).toEqual([]);
  });

  it('GIVEN src/chat importing the chat model THEN lint says nothing', async () => {
    const code = "import type { Reply } from './reply.js';\nexport type R = Reply;\n";
    expect(await problems(code, 'src/chat/layer-violation.ts')).toEqual([]);
  });

  it('GIVEN a command or the chat model reaching past the Ledger to its database THEN lint refuses it', async () => {
    const query = "export const n = (services: { ledger: { db: { selectFrom(t: string): unknown } } }) => services.ledger.db.selectFrom('incidents');\n";
    expect(await problems(query, 'commands/ledger-violation.ts')).toEqual([expect.stringMatching(/^no-restricted-syntax: Commands and chat go through the Ledger/)]);
    expect(await problems(query, 'src/chat/ledger-violation.ts')).toEqual([expect.stringMatching(/^no-restricted-syntax: Commands and chat go through the Ledger/)]);
    const sql = "import { sql } from 'kysely';\nexport const s = sql;\n";
    expect(await problems(sql, 'commands/ledger-violation.ts')).toEqual([expect.stringMatching(/^no-restricted-imports: .*Commands and chat do not write SQL/)]);
    expect(await problems(query, 'src/bot-wiring.ts')).toEqual([]);
  });

  it('GIVEN a file other than src/config.ts reading process.env THEN lint refuses it', async () => {
    const code = 'export const color = !process.env.NO_COLOR;\n';
    expect(await problems(code, 'src/bot-violation.ts')).toEqual([expect.stringMatching(/^no-restricted-properties: .*Only src\/config\.ts reads process\.env/)]);
    expect(await problems(code, 'src/config.ts')).toEqual([]);
  });
});
