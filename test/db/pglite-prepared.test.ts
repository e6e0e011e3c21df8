import { sql } from 'kysely';
import { serialize } from 'pg-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseLocation, openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { MAX_PREPARED, preparedStatements } from '../../src/db/pglite-prepared.js';

/** A statement with parameters as pg sends it: unnamed Parse, Bind, Describe, Execute, Sync. */
function statement(text: string, values: string[] = ['1']): Uint8Array {
  return Buffer.concat([
    serialize.parse({ text, types: [] }),
    serialize.bind({ values }),
    serialize.describe({ type: 'P' }),
    serialize.execute(),
    serialize.sync(),
  ]);
}

/** The messages of a request or an answer: each one's type letter and body. */
function messages(bytes: Uint8Array): { type: string; body: Buffer }[] {
  const out: { type: string; body: Buffer }[] = [];
  for (let at = 0; at < bytes.byteLength;) {
    const length = Buffer.from(bytes.buffer, bytes.byteOffset + at + 1, 4).readInt32BE(0);
    out.push({ type: String.fromCharCode(bytes[at]!), body: Buffer.from(bytes.subarray(at + 5, at + 1 + length)) });
    at += 1 + length;
  }
  return out;
}
const parseName = (body: Buffer) => body.subarray(0, body.indexOf(0)).toString();
const bindStatement = (body: Buffer) => {
  const portalEnd = body.indexOf(0);
  return body.subarray(portalEnd + 1, body.indexOf(0, portalEnd + 1)).toString();
};

const PARSE_COMPLETE = Uint8Array.of(0x31, 0, 0, 0, 4);
const READY = Uint8Array.of(0x5a, 0, 0, 0, 5, 0x49);
const ok = () => new Uint8Array(Buffer.concat([PARSE_COMPLETE, Uint8Array.of(0x32, 0, 0, 0, 4), READY]));
const error = (code: string) => {
  const fields = Buffer.concat([Buffer.from(`SERROR\0C${code}\0Mno\0`), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.byteLength, 1);
  return new Uint8Array(Buffer.concat([head, fields, READY]));
};

describe('embedded PGlite: a statement parsed once (pglite-prepared.ts)', () => {
  it('GIVEN a statement sent twice THEN the first is parsed under a name, the second binds that name, and its answer still begins with ParseComplete', () => {
    const prepared = preparedStatements();
    const first = messages(prepared.request(statement('select $1::int as n')));
    expect(first.map((m) => m.type)).toEqual(['P', 'B', 'D', 'E', 'S']);
    const name = parseName(first[0]!.body);
    expect(name).not.toBe('');
    expect(bindStatement(first[1]!.body)).toBe(name);
    prepared.answered(ok());

    const second = messages(prepared.request(statement('select $1::int as n', ['2'])));
    expect(second.map((m) => m.type)).toEqual(['B', 'D', 'E', 'S']);
    expect(bindStatement(second[0]!.body)).toBe(name);
    // The parameter is the new one: the Bind is the one sent, only its statement renamed.
    expect(second[0]!.body.includes(Buffer.from('2'))).toBe(true);
    const answer = prepared.answered(new Uint8Array(Buffer.concat([Uint8Array.of(0x32, 0, 0, 0, 4), READY])));
    expect(messages(answer).map((m) => m.type)).toEqual(['1', '2', 'Z']);
  });

  it('GIVEN a Parse that fails THEN nothing is prepared: the next time it is parsed again', () => {
    const prepared = preparedStatements();
    prepared.request(statement('select nonsense $1'));
    prepared.answered(error('42601'));
    expect(messages(prepared.request(statement('select nonsense $1')))[0]!.type).toBe('P');
  });

  it('GIVEN the backend no longer knows a name, or its plan no longer fits THEN that statement fails once and every name is parsed afresh', () => {
    for (const code of ['26000', '0A000']) {
      const prepared = preparedStatements();
      for (const text of ['select $1::int', 'select $1::text']) {
        prepared.request(statement(text));
        prepared.answered(ok());
      }
      expect(messages(prepared.request(statement('select $1::int')))[0]!.type).toBe('B');
      const failed = prepared.answered(error(code));
      expect(messages(failed).map((m) => m.type)).toEqual(['1', 'E', 'Z']);
      expect(messages(prepared.request(statement('select $1::text')))[0]!.type).toBe('P');
    }
  });

  it('GIVEN anything but an unnamed statement with its Bind (a simple query, a named statement) THEN it passes as it came', () => {
    const prepared = preparedStatements();
    const simple = new Uint8Array(serialize.query('begin'));
    expect(prepared.request(simple)).toBe(simple);
    expect(prepared.answered(READY)).toBe(READY);
    const namedByPg = new Uint8Array(Buffer.concat([serialize.parse({ name: 'mine', text: 'select $1', types: [] }), serialize.bind({ statement: 'mine', values: ['1'] }), serialize.sync()]));
    expect(prepared.request(namedByPg)).toBe(namedByPg);
  });

  it(`GIVEN ${MAX_PREPARED} texts prepared THEN the next ones go unnamed, and those prepared stay so`, () => {
    const prepared = preparedStatements();
    for (let i = 0; i < MAX_PREPARED; i++) {
      prepared.request(statement(`select $1::int + ${i}`));
      prepared.answered(ok());
    }
    const beyond = statement('select $1::int + -1');
    expect(prepared.request(beyond)).toBe(beyond);
    prepared.answered(ok());
    expect(messages(prepared.request(statement('select $1::int + 0')))[0]!.type).toBe('B');
  });

  // Through the thread, as the bot opens it: its sessions share the one backend's names.
  let database: LedgerDatabase;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dir: null });
  });
  afterAll(() => database.close());

  it('GIVEN the same statements from many sessions at once THEN each gets its own answer, and the backend holds each text once', async () => {
    const { db } = database;
    await sql`create table victims_seen (id int primary key, name text)`.execute(db);
    await Promise.all(Array.from({ length: 40 }, (_, i) => sql`insert into victims_seen values (${i}, ${`City of Odessa ${i}`})`.execute(db)));
    const names = await Promise.all(Array.from({ length: 40 }, async (_, i) => (await sql<{ name: string }>`select name from victims_seen where id = ${i}`.execute(db)).rows[0]!.name));
    expect(names).toEqual(Array.from({ length: 40 }, (_, i) => `City of Odessa ${i}`));
    const held = await sql<{ statement: string }>`select statement from pg_prepared_statements where statement like ${'%victims_seen%'}`.execute(db);
    expect(held.rows.map((r) => r.statement).sort()).toEqual([
      'insert into victims_seen values ($1, $2)',
      'select name from victims_seen where id = $1',
    ]);
  });

  it('GIVEN a prepared statement whose table then changes shape THEN it fails once with the server\'s error, and runs again after', async () => {
    const { db } = database;
    await sql`create table shape (id int)`.execute(db);
    await sql`insert into shape values (1)`.execute(db);
    const read = () => sql<{ id: number }>`select * from shape where id = ${1}`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1 }]);
    await sql`alter table shape add column note text`.execute(db);
    await expect(read()).rejects.toMatchObject({ code: '0A000' });
    expect((await read()).rows).toEqual([{ id: 1, note: null }]);
  });

  it('GIVEN a bad parameter to a prepared statement, and a statement that does not parse THEN each fails with its SQLSTATE and the next runs', async () => {
    const { db } = database;
    const count = (n: string) => sql<{ n: number }>`select ${n}::int + 1 as n`.execute(db);
    expect((await count('1')).rows).toEqual([{ n: 2 }]);
    await expect(count('one')).rejects.toMatchObject({ code: '22P02' });
    await expect(sql`select from where ${1}`.execute(db)).rejects.toMatchObject({ code: '42601' });
    expect((await count('41')).rows).toEqual([{ n: 42 }]);
  });

  it('GIVEN DATABASE_PREPARED_STATEMENTS=false THEN the thread sends every statement as pg sent it, unnamed, and the backend keeps none', async () => {
    expect(databaseLocation('pglite:memory', false)).toEqual({ kind: 'pglite', dir: null, preparedStatements: false });
    expect(databaseLocation('', false)).toEqual({ kind: 'pglite', dir: './data/pglite', preparedStatements: false });
    const unnamed = await openDatabase(databaseLocation('pglite:memory', false));
    try {
      const sum = async (n: number) => (await sql<{ n: number }>`select ${n}::int + 1 as n`.execute(unnamed.db)).rows[0]!.n;
      expect(await Promise.all([1, 2, 3].map(sum))).toEqual([2, 3, 4]);
      expect(await sum(41)).toBe(42);
      expect((await sql`select name from pg_prepared_statements`.execute(unnamed.db)).rows).toEqual([]);
    } finally {
      await unnamed.close();
    }
  });
});
