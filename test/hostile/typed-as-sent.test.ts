import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { runCli } from '../support/run-cli.js';
import { cliLedger, jsonOf } from './cli-ledger.js';

// Numbers and text as typed (issue 15, item 7): a count is digits, and a name keeps its commas.

interface ReportDoc { victim: { name: string }; incident: { recordsAffected: number | null } }
interface Refusal { error: { code: string; fields: { field: string; message: string }[] } }

const report = (name: string, recordsAffected: unknown) => ({ victim: { name, isNew: true }, startDate: '2020-04', summary: 'Customer records copied out.', recordsAffected });

describe.each(backends)('breachdesk report with numbers and commas as people type them, on %s', (backend) => {
  let ledger: Awaited<ReturnType<typeof cliLedger>>;
  beforeAll(async () => (ledger = await cliLedger(backend)));
  afterAll(() => ledger.drop());

  it('GIVEN records affected of 0x10 or 1e3 THEN it is refused naming the field, and nothing is stored', async () => {
    for (const typed of ['0x10', '1e3']) {
      const run = await runCli(['report', '--json'], { env: ledger.env, input: JSON.stringify(report('Hexcount Ltd', typed)) });
      expect(run.code).toBe(1);
      const refusal = JSON.parse(run.stderr) as Refusal;
      expect(refusal.error.fields).toEqual([{ field: 'recordsAffected', message: `Records affected "${typed}" is not a whole number written in digits, such as 1500 or 1,500.` }]);
    }
    const found = jsonOf<{ victims: unknown[] }>(await runCli(['search', 'Hexcount', '--json'], { env: ledger.env }));
    expect(found.victims).toEqual([]);
  });

  it('GIVEN the victim Acme,Inc and 1,500 records THEN Acme,Inc with 1500 records is stored', async () => {
    const recorded = jsonOf<ReportDoc>(await runCli(['report', '--json'], { env: ledger.env, input: JSON.stringify(report('Acme,Inc', '1,500')) }));
    expect(recorded.victim.name).toBe('Acme,Inc');
    expect(recorded.incident.recordsAffected).toBe(1500);
  });
});
